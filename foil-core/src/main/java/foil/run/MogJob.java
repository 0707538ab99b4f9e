package foil.run;

import foil.gan.GanTrainer;
import foil.gan.Mixture;
import foil.gan.MlpGan;
import foil.gan.ModeCoverage;
import foil.metrics.EarthMovers;
import foil.report.Charts;
import foil.report.Png;
import foil.io.RunDirectory;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains an MLP GAN on a 2-D mixture (ring or grid) and measures mode collapse as PacGAN does, from 2500
 * generated samples: modes covered, high-quality fraction, samples per mode; scatter plots of real and
 * generated samples at chosen iterations; the exact earth mover's distance to real samples over training.
 */
public record MogJob(Mixture mixture, GanTrainer.Options options, int latent, int hidden, List<Integer> snapshots,
        boolean resume) {
    public static final int EVAL_SAMPLES = 2500;
    static final int EMD_SAMPLES = 500;

    /** The iterations drawn unless others are asked for: 0, 10% and 30% (on measured iterations), the end. */
    public static List<Integer> defaultSnapshots(int iterations, int logEvery) {
        return List.of(0, measured(iterations / 10, logEvery), measured(iterations * 3 / 10, logEvery), iterations);
    }

    /** The measured iteration at or below {@code it}, and at least the first one. */
    private static int measured(int it, int logEvery) {
        return Math.max(logEvery, it / logEvery * logEvery);
    }

    public Map<String, Object> execute(RunDirectory dir) {
        List<BufferedImage> frames = new ArrayList<>();
        GanTrainer.RealData real = mixture.realData();
        float[] realEval = mixture.sample(EVAL_SAMPLES, new Random(options.seed() + 7));
        foil.Foil.seed(options.seed()); // the initial weights too
        try (MlpGan nets = new MlpGan(latent, 2, hidden, 3, (float) mixture.scale())) {
            GanTrainer trainer = new GanTrainer(nets, real, options, dir.dir());
            if (resume) {
                trainer.resume();
            }
            Map<String, Object> last = trainer.train((iteration, n, line) -> {
                float[] gen = n.sample(EVAL_SAMPLES, options.seed() + 11);
                ModeCoverage c = ModeCoverage.of(mixture, gen);
                line.put("modes_covered", c.modesCovered());
                line.put("high_quality_fraction", c.highQualityFraction());
                line.put("mode_kl", c.modeKl());
                line.put("emd", emd(gen, realEval));
                if (snapshots.contains(iteration) || iteration == options.iterations()) {
                    frames.add(scatter(iteration, gen, realEval, c));
                }
            });
            float[] gen = nets.sample(EVAL_SAMPLES, options.seed() + 11);
            ModeCoverage coverage = ModeCoverage.of(mixture, gen);
            if (!frames.isEmpty()) {
                Png.write(Charts.tile(frames, 4), dir.resolve("samples.png"));
            }
            writeCurves(dir);
            Map<String, Object> m = new LinkedHashMap<>(coverage.metrics());
            m.put("shape", mixture.name());
            m.put("loss", options.loss().name());
            m.put("iterations", trainer.iteration());
            m.put("emd", emd(gen, realEval));
            m.put("d_loss", last.get("d_loss"));
            m.put("g_loss", last.get("g_loss"));
            dir.writeMetrics(m);
            return m;
        }
    }

    /** Exact EMD (Euclidean) between the first 500 generated and 500 real samples. */
    static double emd(float[] gen, float[] real) {
        int n = Math.min(EMD_SAMPLES, Math.min(gen.length, real.length) / 2);
        double[][] a = new double[n][];
        double[][] b = new double[n][];
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = new double[] {gen[2 * i], gen[2 * i + 1]};
            b[i] = new double[] {real[2 * i], real[2 * i + 1]};
            w[i] = 1;
        }
        return EarthMovers.distance(w, a, w, b, EarthMovers.Cost.EUCLIDEAN).distance();
    }

    private BufferedImage scatter(int iteration, float[] gen, float[] real, ModeCoverage c) {
        int n = gen.length / 2;
        double[] gx = new double[n];
        double[] gy = new double[n];
        double[] rx = new double[n];
        double[] ry = new double[n];
        for (int i = 0; i < n; i++) {
            gx[i] = gen[2 * i];
            gy[i] = gen[2 * i + 1];
            rx[i] = real[2 * i];
            ry[i] = real[2 * i + 1];
        }
        double r = mixture.radius() * 1.5 + 0.5;
        List<Charts.Series> clouds = new ArrayList<>(List.of(
                new Charts.Series("real", rx, ry, Charts.Line.MARKED, new Color(150, 150, 150)),
                new Charts.Series("generated", gx, gy, Charts.Line.MARKED, new Color(200, 40, 40))));
        if (c.modesCovered() < c.modesTotal()) { // the modes no high-quality sample reached, as crosses
            int dropped = c.modesTotal() - c.modesCovered();
            double[] mx = new double[dropped];
            double[] my = new double[dropped];
            for (int k = 0, j = 0; k < c.modesTotal(); k++) {
                if (c.samplesPerMode()[k] == 0) {
                    mx[j] = mixture.means()[k][0];
                    my[j++] = mixture.means()[k][1];
                }
            }
            clouds.add(new Charts.Series("modes not covered", mx, my, Charts.Line.CROSSED, Color.BLACK));
        }
        return Charts.scatter(String.format("iter %d: %d/%d modes, %.0f%% high quality", iteration, c.modesCovered(),
                c.modesTotal(), 100 * c.highQualityFraction()), clouds, r, 400);
    }

    private void writeCurves(RunDirectory dir) {
        List<Map<String, Object>> log = GanTrainer.readLog(dir.dir());
        if (log.isEmpty()) {
            return;
        }
        List<Map<String, Object>> measured = log.stream().filter(l -> l.containsKey("emd")).toList();
        Charts.lines(dir.resolve("losses.png"), "GAN losses (" + options.loss().name() + ")", "iteration", "loss",
                List.of(new Charts.Series("discriminator", column(log, "iteration"), column(log, "d_loss"),
                                Charts.Line.SOLID, null),
                        new Charts.Series("generator", column(log, "iteration"), column(log, "g_loss"),
                                Charts.Line.SOLID, null)), null, null);
        if (measured.isEmpty()) {
            return;
        }
        Charts.lines(dir.resolve("emd.png"), "Earth mover's distance, generated vs real (500 samples each)", "iteration",
                "EMD", List.of(new Charts.Series("EMD", column(measured, "iteration"), column(measured, "emd"),
                        Charts.Line.SOLID, null)), 0.0, null);
        Charts.lines(dir.resolve("modes.png"), "Modes covered (of " + mixture.modes() + ")", "iteration", "modes",
                List.of(new Charts.Series("modes covered", column(measured, "iteration"),
                        column(measured, "modes_covered"), Charts.Line.SOLID, null)), 0.0, (double) mixture.modes());
    }

    static double[] column(List<Map<String, Object>> rows, String key) {
        double[] out = new double[rows.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = ((Number) rows.get(i).get(key)).doubleValue();
        }
        return out;
    }
}
