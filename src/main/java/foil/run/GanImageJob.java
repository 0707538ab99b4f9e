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
public record GanImageJob(ImageDataset data, GanTrainer.Options options, int width, int epochs, boolean resume) {
    public static final String CONFIG = "gan.json";
    static final int GRID = 64;
    static final long GRID_SEED = 1234;

    /** What {@code gan.json} records, enough to rebuild the networks for sampling. */
    public record Config(String arch, int latent, int channels, int width, int height, int imageWidth,
            Boolean criticBatchNorm) {
        /** Runs written before the flag had a critic with batch norm. */
        public boolean batchNorm() {
            return criticBatchNorm == null || criticBatchNorm;
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
        if (data.height() != 28 || data.width() != 28) {
            throw new FoilException("dcgan here takes 28x28 images; " + data.name() + " has " + data.height() + "x"
                    + data.width());
        }
        // WGAN-GP's penalty is per example: its critic has no batch norm
        Config config = new Config("dcgan", 100, data.channels(), width, 28, 28, options.loss().gradientPenalty() == 0);
        dir.writeJson(CONFIG, config);
        int perEpoch = iterationsPerEpoch(data, options.batch());
        GanTrainer.RealData real = realData(data);
        foil.Foil.seed(options.seed()); // the initial weights too
        try (Dcgan nets = new Dcgan(config.latent(), config.channels(), width, config.batchNorm())) {
            GanTrainer trainer = new GanTrainer(nets, real, options, dir.dir());
            if (resume) {
                trainer.resume();
            }
            Map<String, Object> last = trainer.train((iteration, n, line) -> {
                int epoch = iteration / perEpoch;
                line.put("epoch", epoch);
                Png.write(grid(n, GRID, GRID_SEED, data.channels()), dir.resolve(String.format("samples-epoch-%03d.png",
                        epoch)));
            }, evaluation);
            trainer.withEvaluationWeights(n -> {
                Png.write(grid(n, GRID, GRID_SEED, data.channels()), dir.resolve("samples.png"));
                return null;
            });
            List<Map<String, Object>> log = GanTrainer.readLog(dir.dir());
            double[] it = new double[log.size()];
            double[] d = new double[log.size()];
            double[] g = new double[log.size()];
            for (int i = 0; i < log.size(); i++) {
                it[i] = ((Number) log.get(i).get("iteration")).doubleValue();
                d[i] = ((Number) log.get(i).get("d_loss")).doubleValue();
                g[i] = ((Number) log.get(i).get("g_loss")).doubleValue();
            }
            Charts.lines(dir.resolve("losses.png"), "DCGAN losses (" + options.loss().name() + ")", "iteration", "loss",
                    List.of(new Charts.Series("discriminator", it, d, Charts.Line.SOLID, null),
                            new Charts.Series("generator", it, g, Charts.Line.SOLID, null)), null, null);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("arch", "dcgan");
            m.put("loss", options.loss().name());
            m.put("epochs", epochs);
            m.put("iterations", trainer.iteration());
            m.put("d_loss", last.get("d_loss"));
            m.put("g_loss", last.get("g_loss"));
            m.put("generator_weights", trainer.evaluationWeights());
            m.put("ema_decay", options.ema());
            m.put("sampling_mode", GanNetworks.TRAINING_MODE);
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

    public static java.awt.image.BufferedImage grid(GanNetworks nets, int n, long seed, int channels) {
        return ImageGrid.draw(generateImages(nets, n, seed), n, channels, 28, 28, 2);
    }

    /** The judge's predicted classes over {@code n} generated images ({@link ClassHistogram}). */
    public static Map<String, Object> classHistogram(GanNetworks nets, Judge judge, int n) {
        return new ClassHistogram(judge.classifier().numClasses()).add(judge.classifier(),
                generateImages(nets, n, 4321), n).describe(judge.name());
    }

    /** Rebuilds the networks of a finished or stopped run, for sampling. */
    public static Dcgan open(Path dir) {
        Config c = config(dir);
        Dcgan nets = new Dcgan(c.latent(), c.channels(), c.width(), c.batchNorm());
        try {
            GanTrainer.loadNetworks(dir, nets);
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
