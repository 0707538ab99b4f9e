package foil.run;

import foil.FoilException;
import foil.data.ImageDataset;
import foil.gan.Inversion;
import foil.gan.Truncation;
import foil.io.RunDirectory;
import foil.metrics.FeatureNetwork;
import foil.metrics.Roc;
import foil.report.Charts;
import foil.report.ImageRows;
import foil.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * {@code foil gan provenance}: "did this image come from G?", answered by inverting G. An image's score is minus
 * its best reconstruction error over the restarts ({@link Inversion}): G's own samples should be reconstructed
 * almost exactly, real images and other generators' samples less well. Positives are {@code n} samples of G;
 * negatives are {@code n} held-out real images and {@code n} samples of each other generator. Every set is split
 * in two by parity of its index: the threshold (the lowest score with at most {@code fpr} false positives against
 * all negatives) is fixed on the even half, and the ROC curves, their areas, the true-positive rates at 1% and 5%
 * false positives and the rates at that threshold are measured on the odd half. Generators sample in inference
 * mode (batch norm's running statistics), the mode the inversion optimises in.
 */
public record ProvenanceJob(Path generator, List<Path> others, int n, Inversion inversion, double fpr, int batch,
        long seed) {
    public ProvenanceJob {
        if (n < 4) {
            throw new FoilException("--n must be at least 4 (half fixes the threshold, half measures), not " + n);
        }
        if (!(fpr > 0 && fpr < 1)) {
            throw new FoilException("--fpr must be in (0, 1), not " + fpr);
        }
        if (batch < 1) {
            throw new FoilException("--batch must be positive, not " + batch);
        }
    }

    /** One set of images, its inversion and its name. */
    private record Scored(String name, float[] images, Inversion.Result result) {
        double[] half(int parity) {
            double[] s = result.scores();
            return IntStream.range(0, s.length).filter(i -> i % 2 == parity).mapToDouble(i -> s[i]).toArray();
        }
    }

    /** Scores {@code real} (n held-out images are drawn from it with the seed) and the generators. */
    public Map<String, Object> execute(RunDirectory dir, ImageDataset real, FeatureNetwork net) {
        List<Scored> negatives = new ArrayList<>();
        Scored positives;
        int channels;
        int height;
        int width;
        try (foil.gan.ImageGan g = GanImageJob.open(generator)) {
            channels = g.channels();
            height = g.height();
            width = g.width();
            if (real != null && real.imageSize() != g.imageSize()) {
                throw new FoilException(real.name() + " has images of " + real.channels() + "x" + real.height() + "x"
                        + real.width() + "; the generator makes " + channels + "x" + height + "x" + width);
            }
            float[] own = samples(g, seed);
            positives = new Scored("G's samples", own, inversion.invert(g, own, n, batch, net, seed + 1));
            if (real != null) {
                float[] x = draw(real, n, seed + 2);
                negatives.add(new Scored("real", x, inversion.invert(g, x, n, batch, net, seed + 3)));
            }
            for (int k = 0; k < others.size(); k++) {
                float[] x;
                try (foil.gan.ImageGan other = GanImageJob.open(others.get(k))) {
                    if (other.channels() != channels) {
                        throw new FoilException(others.get(k) + " makes " + other.channels() + "-channel images; "
                                + generator + " makes " + channels);
                    }
                    x = samples(other, seed + 10 + k);
                }
                negatives.add(new Scored(otherName(k), x, inversion.invert(g, x, n, batch, net, seed + 20 + k)));
            }
        }
        if (negatives.isEmpty()) {
            throw new FoilException("no negatives: give --real DATA and/or --other RUN,...");
        }
        return report(dir, positives, negatives, channels, height, width, net);
    }

    private String otherName(int k) {
        return "other: " + others.get(k).toAbsolutePath().normalize().getFileName();
    }

    private float[] samples(foil.gan.ImageGan g, long s) {
        float[] z = Truncation.NONE.latents(n, g.latent(), s);
        float[] out = new float[n * g.imageSize()];
        int size = out.length / n;
        for (int from = 0; from < n; from += batch) {
            int b = Math.min(batch, n - from);
            float[] part = GanImageJob.toUnit(g.sampleInference(Arrays.copyOfRange(z, from * g.latent(),
                    (from + b) * g.latent()), b));
            System.arraycopy(part, 0, out, from * size, part.length);
        }
        return out;
    }

    /** {@code n} images of {@code data} chosen at random with {@code s}. */
    private float[] draw(ImageDataset data, int count, long s) {
        if (data.size() < count) {
            throw new FoilException(data.name() + " has " + data.size() + " images, fewer than --n " + count);
        }
        List<Integer> order = new ArrayList<>(IntStream.range(0, data.size()).boxed().toList());
        java.util.Collections.shuffle(order, new java.util.Random(s));
        int size = data.imageSize();
        float[] out = new float[count * size];
        for (int i = 0; i < count; i++) {
            System.arraycopy(data.pixels(), order.get(i) * size, out, i * size, size);
        }
        return out;
    }

    private Map<String, Object> report(RunDirectory dir, Scored positives, List<Scored> negatives, int channels, int height, int width,
            FeatureNetwork net) {
        double[] calibrationNegatives = negatives.stream().flatMapToDouble(s -> Arrays.stream(s.half(0))).toArray();
        double threshold = new Roc(positives.half(0), calibrationNegatives).thresholdAtFpr(fpr);
        double[] pos = positives.half(1);
        Map<String, Object> auc = new LinkedHashMap<>();
        Map<String, Object> tpr1 = new LinkedHashMap<>();
        Map<String, Object> tpr5 = new LinkedHashMap<>();
        Map<String, Object> falseAlarms = new LinkedHashMap<>();
        List<Charts.Series> curves = new ArrayList<>();
        Double aucReal = null;
        Map<String, Object> aucOther = new LinkedHashMap<>();
        for (Scored s : negatives) {
            Roc roc = new Roc(pos, s.half(1));
            String key = s.name().startsWith("other: ") ? s.name().substring(7) : s.name();
            auc.put(s.name(), roc.auc());
            tpr1.put(s.name(), roc.tprAtFpr(0.01));
            tpr5.put(s.name(), roc.tprAtFpr(0.05));
            falseAlarms.put(s.name(), Roc.rateAtLeast(s.half(1), threshold));
            if (s.name().equals("real")) {
                aucReal = roc.auc();
            } else {
                aucOther.put(key, roc.auc());
            }
            curves.add(new Charts.Series(String.format(Locale.ROOT, "G's samples v %s (AUC %.3f)", s.name(),
                    roc.auc()), roc.fpr(), roc.tpr(), Charts.Line.SOLID, null));
        }
        curves.add(new Charts.Series("chance", new double[] {0, 1}, new double[] {0, 1}, Charts.Line.DOTTED,
                java.awt.Color.GRAY));
        Png.write(Charts.render(new Charts.Frame("Provenance by inversion: ROC (score: minus the reconstruction "
                + "error)", "false-positive rate", "true-positive rate", 0.0, 1.0), curves),
                dir.resolve("roc.png"));
        Png.write(ImageRows.draw("Hardest cases: G's samples reconstructed worst, negatives reconstructed best",
                hardest(positives, negatives), channels, height, width, 2), dir.resolve("hardest.png"));
        Map<String, Object> errors = new LinkedHashMap<>();
        errors.put(positives.name(), summary(positives.result().errors()));
        for (Scored s : negatives) {
            errors.put(s.name(), summary(s.result().errors()));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("auc_vs_real", aucReal);
        m.put("auc_vs_other", aucOther);
        m.put("auc", auc);
        m.put("tpr_at_fpr_0.01", tpr1);
        m.put("tpr_at_fpr_0.05", tpr5);
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("target_fpr", fpr);
        t.put("max_error", -threshold);
        t.put("fixed_on", "even-indexed half of every set");
        t.put("tpr", Roc.rateAtLeast(pos, threshold));
        t.put("fpr", falseAlarms);
        m.put("threshold", t);
        m.put("errors", errors);
        m.put("n_per_set", n);
        m.put("measured_on", "odd-indexed half of every set (" + pos.length + " each)");
        m.put("inversion", InversionJob.settings(inversion));
        m.put("generator_mode", "inference (batch norm running statistics), for samples and inversion");
        m.put("feature_network", net == null ? null : net.name());
        dir.writeMetrics(m);
        Map<String, Object> scores = new LinkedHashMap<>();
        scores.put(positives.name(), positives.result().errors());
        for (Scored s : negatives) {
            scores.put(s.name(), s.result().errors());
        }
        dir.writeJson("errors.json", scores);
        return m;
    }

    private static Map<String, Object> summary(double[] errors) {
        double[] s = errors.clone();
        Arrays.sort(s);
        return Map.of("mean", Arrays.stream(s).average().orElse(Double.NaN), "median", s[s.length / 2],
                "min", s[0], "max", s[s.length - 1]);
    }

    /** Each set's eight hardest images: the positives of largest error, the negatives of least. */
    private static List<ImageRows.Row> hardest(Scored positives, List<Scored> negatives) {
        List<ImageRows.Row> rows = new ArrayList<>(InversionJob.pairs("G's samples, worst", positives.images(),
                positives.result(), order(positives.result().errors(), true), 8));
        for (Scored s : negatives) {
            rows.addAll(InversionJob.pairs(s.name() + ", best", s.images(), s.result(),
                    order(s.result().errors(), false), 8));
        }
        return rows;
    }

    private static int[] order(double[] errors, boolean largestFirst) {
        Comparator<Integer> c = Comparator.comparingDouble(i -> errors[i]);
        return IntStream.range(0, errors.length).boxed().sorted(largestFirst ? c.reversed() : c).limit(8)
                .mapToInt(Integer::intValue).toArray();
    }
}
