package foil.run;

import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.gan.Dcgan;
import foil.gan.GanNetworks;
import foil.gan.GanTrainer;
import foil.metrics.ClassHistogram;
import foil.metrics.FeatureNetwork;
import foil.model.Classifier;
import foil.model.Models;
import foil.report.Charts;
import foil.report.ImageGrid;
import foil.report.Png;
import foil.io.RunDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains DCGAN on an image dataset (pixels mapped to [-1, 1]) with the general trainer: a fixed-noise sample
 * grid every epoch, the losses as a chart, and at the end the class histogram of generated samples under a
 * judge classifier, so dropped classes show. Grids and histogram sample the generator's evaluation weights (its
 * moving average where the options keep one) with training-mode batch norm, and metrics.json says so. With
 * {@code evalEvery} in the options, KID and FID against real test images go to eval.json, kid.png and fid.png
 * ({@link ImageEvaluation}).
 */
public record GanImageJob(ImageDataset data, GanTrainer.Options options, Config config, int epochs, boolean resume) {
    public static final String CONFIG = "gan.json";
    static final int GRID = 64;
    static final long GRID_SEED = 1234;

    /** DCGAN of this width on {@code data}. */
    public GanImageJob(ImageDataset data, GanTrainer.Options options, int width, int epochs, boolean resume) {
        this(data, options, Config.dcgan(data, width, options), epochs, resume);
    }

    /**
     * What {@code gan.json} records, enough to rebuild the networks for sampling: the architecture, the latent size,
     * the image shape, DCGAN's width and critic, progressive growing's settings, and the batch (with the iteration in
     * the checkpoint, where a growing run stands).
     */
    public record Config(String arch, int latent, int channels, int width, int height, int imageWidth,
            Boolean criticBatchNorm, foil.gan.ProgressiveGan.Settings progressive, Integer batch,
            foil.gan.StyleGan.Settings style) {
        /** Runs written before the flag had a critic with batch norm. */
        public boolean batchNorm() {
            return criticBatchNorm == null || criticBatchNorm;
        }

        /** DCGAN (28 × 28, latent 100); WGAN-GP's penalty is per example, so its critic has no batch norm. */
        public static Config dcgan(ImageDataset data, int width, GanTrainer.Options options) {
            return new Config("dcgan", 100, data.channels(), width, data.height(), data.width(),
                    options.loss().gradientPenalty() == 0, null, options.batch(), null);
        }

        /** Progressive growing on images of {@code data}'s shape. */
        public static Config progressive(ImageDataset data, foil.gan.ProgressiveGan.Settings s, int batch) {
            return new Config("progressive", s.latent(), data.channels(), s.width(), data.height(), data.width(), null, s,
                    batch, null);
        }

        /** StyleGAN2 on images of {@code data}'s shape. */
        public static Config stylegan(ImageDataset data, foil.gan.StyleGan.Settings s, int batch) {
            return new Config("stylegan", s.latent(), data.channels(), s.width(), data.height(), data.width(), null, null,
                    batch, s);
        }

        /** The networks this describes, newly initialised (from the engine's current seed). */
        public foil.gan.ImageGan build() {
            return switch (arch) {
                case "dcgan" -> {
                    if (height != 28 || imageWidth != 28) {
                        throw new FoilException("dcgan here takes 28x28 images, not " + height + "x" + imageWidth
                                + ": use --arch progressive");
                    }
                    yield new Dcgan(latent, channels, width, batchNorm());
                }
                case "progressive" -> new foil.gan.ProgressiveGan(progressive, channels, height, imageWidth);
                case "stylegan" -> new foil.gan.StyleGan(style, channels, height, imageWidth);
                default -> throw new FoilException("unknown GAN architecture '" + arch + "' in " + CONFIG);
            };
        }
    }

    /** The classifier that judges the generated samples, and its name in metrics.json. */
    public record Judge(Classifier classifier, String name) implements AutoCloseable {
        /**
         * The classifier at {@code model} (a Foil model directory or TorchScript file) for images of {@code shape};
         * by default (null) the classifier of the default feature network of {@code data}, foil fid's: a cnn
         * trained once with a fixed seed and cached.
         */
        public static Judge of(Path model, DataSource data, Shape shape) {
            if (model != null) {
                return new Judge(Models.load(model, shape), model.toString());
            }
            FeatureNetwork net = FeatureNetwork.open(null, null, data);
            return new Judge(net.model(), "Foil " + net.model().architecture().cliName + " of " + data.name()
                    + ", the default feature network's classifier (seed " + FeatureNetwork.DEFAULT_TRAINING.seed()
                    + ", cached)");
        }

        @Override
        public void close() {
            classifier.close();
        }
    }

    /** What the eval series needs: the dataset (its test split and its default feature network) and N. */
    public record Evaluation(foil.data.DataSource source, int n) {}

    public static int iterationsPerEpoch(ImageDataset data, int batch) {
        return (data.size() + batch - 1) / batch;
    }

    public Map<String, Object> execute(RunDirectory dir, Judge judge) {
        return execute(dir, judge, null);
    }

    /** Trains, with the eval series when the options ask for one ({@code evaluation} then says on what). */
    public Map<String, Object> execute(RunDirectory dir, Judge judge, Evaluation evaluation) {
        if (options.evalEvery() > 0 && evaluation == null) {
            throw new FoilException("--eval-every needs the dataset's test split to score the samples against");
        }
        if (options.evalEvery() == 0) {
            return train(dir, judge, null);
        }
        // the default feature network of the data (trained once and cached), as foil gan eval's
        try (FeatureNetwork net = FeatureNetwork.open(null, "penultimate", evaluation.source())) {
            return train(dir, judge, new ImageEvaluation(net, evaluation.source().test(), evaluation.n(),
                    options.batch()));
        }
    }

    private Map<String, Object> train(RunDirectory dir, Judge judge, ImageEvaluation evaluation) {
        dir.writeJson(CONFIG, config);
        int perEpoch = iterationsPerEpoch(data, options.batch());
        GanTrainer.RealData real = realData(data);
        foil.Foil.seed(options.seed()); // the initial weights too
        try (foil.gan.ImageGan nets = config.build()) {
            GanTrainer trainer = new GanTrainer(nets, real, options, dir.dir());
            if (resume) {
                trainer.resume();
            }
            GanTrainer.Observer observer = nets instanceof foil.gan.ProgressiveGan p
                    ? new GrowthFigures(p, options.batch(), dir)
                    : (iteration, n, line) -> {
                        int epoch = iteration / perEpoch;
                        line.put("epoch", epoch);
                        Png.write(grid((foil.gan.ImageGan) n, GRID, GRID_SEED), dir.resolve(String.format(
                                "samples-epoch-%03d.png", epoch)));
                    };
            Map<String, Object> last = trainer.train(observer, evaluation);
            trainer.withEvaluationWeights(n -> {
                Png.write(grid((foil.gan.ImageGan) n, GRID, GRID_SEED), dir.resolve("samples.png"));
                return null;
            });
            if (observer instanceof GrowthFigures growth) {
                growth.finish((foil.gan.ProgressiveGan) nets);
            }
            List<Map<String, Object>> log = GanTrainer.readLog(dir.dir());
            double[] it = new double[log.size()];
            double[] d = new double[log.size()];
            double[] g = new double[log.size()];
            for (int i = 0; i < log.size(); i++) {
                it[i] = ((Number) log.get(i).get("iteration")).doubleValue();
                d[i] = ((Number) log.get(i).get("d_loss")).doubleValue();
                g[i] = ((Number) log.get(i).get("g_loss")).doubleValue();
            }
            Charts.lines(dir.resolve("losses.png"), config.arch() + " losses (" + options.loss().name() + ")", "iteration",
                    "loss",
                    List.of(new Charts.Series("discriminator", it, d, Charts.Line.SOLID, null),
                            new Charts.Series("generator", it, g, Charts.Line.SOLID, null)), null, null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("arch", config.arch());
            m.put("loss", options.loss().name());
            if (epochs > 0) {
                m.put("epochs", epochs);
            }
            m.put("iterations", trainer.iteration());
            m.put("d_loss", last.get("d_loss"));
            m.put("g_loss", last.get("g_loss"));
            m.put("generator_weights", trainer.evaluationWeights());
            m.put("ema_decay", options.ema());
            m.put("sampling_mode", nets instanceof Dcgan ? GanNetworks.TRAINING_MODE : GanNetworks.NO_BATCH_NORM);
            List<Map<String, Object>> series = trainer.evalSeries();
            if (!series.isEmpty()) {
                m.put("eval_series", GanTrainer.EVAL);
                m.put("eval_last", series.get(series.size() - 1));
            }
            if (judge != null) {
                m.putAll(trainer.withEvaluationWeights(n -> classHistogram(n, judge, 1000)));
            }
            dir.writeMetrics(m);
            return m;
        }
    }

    /** Images of {@code data} drawn with replacement, pixels mapped to [-1, 1] (the generator's tanh range). */
    static GanTrainer.RealData realData(ImageDataset data) {
        return new GanTrainer.RealData() {
            @Override
            public float[] sample(int n, Random random) {
                int per = data.imageSize();
                float[] out = new float[n * per];
                for (int i = 0; i < n; i++) {
                    int k = random.nextInt(data.size());
                    for (int p = 0; p < per; p++) {
                        out[i * per + p] = 2 * data.pixels()[k * per + p] - 1;
                    }
                }
                return out;
            }

            @Override
            public Shape shape() {
                return data.imageShape();
            }
        };
    }

    /** Generated images in [0, 1]. */
    public static float[] generateImages(GanNetworks nets, int n, long seed) {
        return toUnit(nets.sample(n, seed));
    }

    /** The generator's tanh outputs in [-1, 1] as images in [0, 1], in place. */
    public static float[] toUnit(float[] x) {
        for (int i = 0; i < x.length; i++) {
            x[i] = Math.min(1f, Math.max(0f, (x[i] + 1) / 2));
        }
        return x;
    }

    public static java.awt.image.BufferedImage grid(foil.gan.ImageGan nets, int n, long seed) {
        return ImageGrid.draw(generateImages(nets, n, seed), n, nets.channels(), nets.height(), nets.width(), 2);
    }

    /** The judge's predicted classes over {@code n} generated images ({@link ClassHistogram}). */
    public static Map<String, Object> classHistogram(GanNetworks nets, Judge judge, int n) {
        return new ClassHistogram(judge.classifier().numClasses()).add(judge.classifier(),
                generateImages(nets, n, 4321), n).describe(judge.name());
    }

    /**
     * Rebuilds the networks of a finished or stopped run, for sampling; a growing run stands where its checkpoint
     * stopped (its resolution and α).
     */
    public static foil.gan.ImageGan open(Path dir) {
        Config c = config(dir);
        foil.gan.ImageGan nets = c.build();
        try {
            GanTrainer.loadNetworks(dir, nets);
            if (c.batch() != null) {
                nets.advance((long) GanTrainer.storedIteration(dir) * c.batch());
            }
        } catch (FoilException e) {
            nets.close();
            throw e;
        }
        return nets;
    }

    /** What a GAN run's {@code gan.json} says of its networks. */
    public static Config config(Path dir) {
        try {
            return foil.io.Json.MAPPER.readValue(dir.resolve(CONFIG).toFile(), Config.class);
        } catch (java.io.IOException e) {
            throw new FoilException(dir + " is not a Foil GAN run (no readable " + CONFIG + "): train one with "
                    + "'foil gan train'");
        }
    }
}
