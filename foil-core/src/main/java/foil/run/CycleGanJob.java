package foil.run;

import foil.Foil;
import foil.FoilException;
import foil.data.Domain;
import foil.data.ImageDataset;
import foil.gan.GanTrainer;
import foil.gan.cycle.CycleGan;
import foil.gan.cycle.CycleGan.Side;
import foil.gan.cycle.CycleTrainer;
import foil.io.RunDirectory;
import foil.metrics.ClassHistogram;
import foil.metrics.FeatureNetwork;
import foil.metrics.Kid;
import foil.report.Charts;
import foil.report.ImageRows;
import foil.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a CycleGAN between two image domains and measures it on their test images: translation grids both ways
 * ({@code grid-a2b.png}, {@code grid-b2a.png}: rows of x | G(x) | F(G(x)), redrawn at every checkpoint), the losses
 * ({@code losses.png}), and in metrics.json, per direction, the fraction of translated test images a judge classifier
 * puts into the target domain's classes, the mean absolute cycle error, and KID against the target domain's real test
 * images in its dataset's default feature network, each beside its baseline (the untranslated images, and the
 * target's train-against-test floor).
 */
public record CycleGanJob(Domain a, Domain b, CycleTrainer.Options options, int filters, int blocks, int evalN,
        boolean resume) {
    public static final String CONFIG = "cycle.json";
    static final int GRID_ROWS = 8;
    static final int SCALE = 3;

    /** What cycle.json records: the networks' sizes and the domains. */
    public record Config(CycleGan.Config networks, String domainA, String domainB) {}

    public CycleGanJob {
        if (evalN < 2) {
            throw new FoilException("--eval-n must be at least 2, not " + evalN);
        }
    }

    /** The judge for images of {@code target}: {@code judgeModel}, or its dataset's default classifier. */
    private static GanImageJob.Judge judge(Path judgeModel, Domain target, ImageDataset images) {
        return GanImageJob.Judge.of(judgeModel, target.source(), images.imageShape());
    }

    public Map<String, Object> execute(RunDirectory dir, Path judgeModel) {
        ImageDataset trainA = a.train();
        ImageDataset trainB = b.train();
        ImageDataset testA = a.test();
        ImageDataset testB = b.test();
        if (!trainA.imageShape().equals(trainB.imageShape())) {
            throw new FoilException("the domains' images differ in shape: " + a.spec() + " has " + trainA.imageShape()
                    + ", " + b.spec() + " has " + trainB.imageShape());
        }
        CycleGan.Config net = new CycleGan.Config(trainA.channels(), trainA.height(), trainA.width(), filters, blocks);
        dir.writeJson(CONFIG, new Config(net, a.spec(), b.spec()));
        Foil.seed(options.seed()); // the initial weights
        try (CycleGan nets = new CycleGan(net)) {
            CycleTrainer trainer = new CycleTrainer(nets, GanImageJob.realData(trainA), GanImageJob.realData(trainB),
                    options, dir.dir());
            if (resume) {
                trainer.resume();
            }
            Map<String, Object> last = trainer.train((iteration, n) -> grids(dir, n, testA, testB, iteration));
            if (last.isEmpty()) { // resumed a finished run: draw again
                grids(dir, nets, testA, testB, trainer.iteration());
            }
            drawLosses(dir);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("arch", "cyclegan");
            m.put("domain_a", a.spec());
            m.put("domain_b", b.spec());
            m.put("iterations", trainer.iteration());
            m.put("batch", options.batch());
            m.put("width", filters);
            m.put("blocks", blocks);
            m.put("lambda_cycle", options.lambda());
            m.put("lambda_identity", options.identity() * options.lambda());
            m.put("last_losses", last);
            m.put("cycle_l1_units", "mean absolute pixel error with pixels in [0, 1], over the test images measured");
            m.putAll(measure(nets, a, b, testA, testB, judgeModel));
            dir.writeMetrics(m);
            return m;
        }
    }

    /** Per direction: target accuracy, cycle error and KID, with their baselines, over min(evalN, test size) images. */
    private Map<String, Object> measure(CycleGan nets, Domain a, Domain b, ImageDataset testA, ImageDataset testB,
            Path judgeModel) {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> details = new LinkedHashMap<>();
        for (Side target : Side.values()) {
            Domain from = target == Side.B ? a : b;
            Domain to = target == Side.B ? b : a;
            ImageDataset source = target == Side.B ? testA : testB;
            ImageDataset real = target == Side.B ? testB : testA;
            String way = target == Side.B ? "a_to_b" : "b_to_a";
            int n = Math.min(evalN, source.size());
            float[] x = java.util.Arrays.copyOf(source.pixels(), n * source.imageSize());
            float[] translated = nets.translateUnit(x, n, target, options.batch());
            float[] cycled = nets.translateUnit(translated, n, target.other(), options.batch());
            m.put("cycle_l1_" + (target == Side.B ? "a" : "b"), meanAbs(cycled, x));
            Map<String, Object> d = new LinkedHashMap<>();
            d.put("n", n);
            try (GanImageJob.Judge judge = judge(judgeModel, to, real)) {
                if (to.hasClasses()) {
                    m.put("target_accuracy_" + way, inClasses(judge, translated, n, to));
                    d.put("target_accuracy_untranslated", inClasses(judge, x, n, to));
                } else {
                    m.put("target_accuracy_" + way, null);
                    d.put("target_accuracy_note", to.spec() + " names no classes: every class is the target's");
                }
                d.put("judge", judge.name());
                d.putAll(new ClassHistogram(judge.classifier().numClasses()).add(judge.classifier(), translated, n)
                        .describe(judge.name()));
            }
            try (FeatureNetwork net = FeatureNetwork.open(null, "penultimate", to.source())) {
                int nReal = Math.min(evalN, real.size());
                float[][] realFeatures = net.features(real, nReal, 250);
                int subset = Math.max(2, Math.min(n, nReal) / 2);
                Kid.Result kid = Kid.of(realFeatures, net.features(translated, n, 250), ImageEvaluation.KID_SUBSETS,
                        subset, ImageEvaluation.NOISE_SEED);
                m.put("kid_" + way, kid.mean());
                d.put("kid_std", kid.std());
                d.put("kid_untranslated", Kid.of(realFeatures, net.features(x, n, 250), ImageEvaluation.KID_SUBSETS,
                        subset, ImageEvaluation.NOISE_SEED).mean());
                ImageDataset trainTo = to.train();
                int nFloor = Math.min(nReal, trainTo.size());
                d.put("kid_floor_train_vs_test", Kid.of(realFeatures, net.features(trainTo, nFloor, 250),
                        ImageEvaluation.KID_SUBSETS, Math.max(2, Math.min(nFloor, nReal) / 2),
                        ImageEvaluation.NOISE_SEED).mean());
                d.put("kid_subsets", ImageEvaluation.KID_SUBSETS);
                d.put("kid_subset_size", subset);
                d.put("feature_network", net.name() + " of " + to.source().name());
            }
            d.put("from", from.spec());
            d.put("to", to.spec());
            details.put(way, d);
        }
        Map<String, Object> ordered = new LinkedHashMap<>();
        for (String k : new String[] {"target_accuracy_a_to_b", "target_accuracy_b_to_a", "cycle_l1_a", "cycle_l1_b",
            "kid_a_to_b", "kid_b_to_a"}) {
            ordered.put(k, m.get(k));
        }
        ordered.put("details", details);
        return ordered;
    }

    /** The fraction of {@code n} images the judge assigns to one of {@code target}'s classes. */
    static double inClasses(GanImageJob.Judge judge, float[] images, int n, Domain target) {
        int[] counts = (int[]) new ClassHistogram(judge.classifier().numClasses()).add(judge.classifier(), images, n)
                .describe(judge.name()).get("class_histogram");
        int in = 0;
        for (int k = 0; k < counts.length; k++) {
            in += target.contains(k) ? counts[k] : 0;
        }
        return (double) in / n;
    }

    static double meanAbs(float[] x, float[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) {
            s += Math.abs(x[i] - y[i]);
        }
        return s / x.length;
    }

    /** grid-a2b.png and grid-b2a.png: the first test images of each domain, translated and back. */
    void grids(RunDirectory dir, CycleGan nets, ImageDataset testA, ImageDataset testB, int iteration) {
        for (Side target : Side.values()) {
            ImageDataset source = target == Side.B ? testA : testB;
            String from = target == Side.B ? "A" : "B";
            String to = target == Side.B ? "B" : "A";
            int n = Math.min(GRID_ROWS, source.size());
            int per = source.imageSize();
            float[] x = java.util.Arrays.copyOf(source.pixels(), n * per);
            float[] g = nets.translateUnit(x, n, target, n);
            float[] back = nets.translateUnit(g, n, target.other(), n);
            List<ImageRows.Row> rows = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                rows.add(new ImageRows.Row(from + " test image " + i, List.of(slice(x, i, per), slice(g, i, per),
                        slice(back, i, per)), List.of("x (" + from + ")", "to " + to, "back to " + from), null, null));
            }
            String title = String.format("%s (%s) to %s (%s) and back, iteration %d", from, target == Side.B ? a.spec()
                    : b.spec(), to, target == Side.B ? b.spec() : a.spec(), iteration);
            Png.write(ImageRows.draw(title, rows, source.channels(), source.height(), source.width(), SCALE),
                    dir.resolve(target == Side.B ? "grid-a2b.png" : "grid-b2a.png"));
        }
    }

    private static float[] slice(float[] x, int i, int per) {
        return java.util.Arrays.copyOfRange(x, i * per, (i + 1) * per);
    }

    /** losses.png: the four GAN losses and the cycle losses over iterations. */
    static void drawLosses(RunDirectory dir) {
        List<Map<String, Object>> log = GanTrainer.readLog(dir.dir());
        if (log.isEmpty()) {
            return;
        }
        double[] it = MogJob.column(log, "iteration");
        List<Charts.Series> series = new ArrayList<>();
        for (String key : new String[] {"d_a", "d_b", "g_gan_a_to_b", "g_gan_b_to_a", "cycle_a", "cycle_b"}) {
            series.add(new Charts.Series(key, it, MogJob.column(log, key), Charts.Line.SOLID, null));
        }
        Charts.lines(dir.resolve("losses.png"), "CycleGAN losses (least squares; cycle: mean |x - F(G(x))| in [-1, 1])",
                "iteration", "loss", series, 0.0, null);
    }

    /** Rebuilds the networks of a CycleGAN run, to translate with it. */
    public static CycleGan open(Path dir) {
        Config c;
        try {
            c = foil.io.Json.MAPPER.readValue(dir.resolve(CONFIG).toFile(), Config.class);
        } catch (java.io.IOException e) {
            throw new FoilException(dir + " is not a Foil CycleGAN run (no readable " + CONFIG + ")");
        }
        CycleGan nets = new CycleGan(c.networks());
        try {
            CycleTrainer.loadNetworks(dir, nets);
        } catch (FoilException e) {
            nets.close();
            throw e;
        }
        return nets;
    }
}
