package foil.run;

import foil.FoilException;
import foil.data.ImageDataset;
import foil.gan.Truncation;
import foil.metrics.ClassHistogram;
import foil.metrics.FeatureNetwork;
import foil.metrics.FeatureSource;
import foil.metrics.Fid;
import foil.metrics.GaussianStats;
import foil.metrics.Prdc;
import foil.report.Charts;
import foil.report.ImageRows;
import foil.report.Png;
import foil.io.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The quality/diversity trade-off of truncation: for each ψ, samples of the generator from the same base latents
 * pulled towards the mean, scored against real images (FID, precision, recall, density, coverage in the feature
 * network's space) and by the feature network's own classifier (the entropy of its predicted classes, 1 =
 * uniform). Writes one row of samples per ψ, the curves, and metrics.json's {@code rows}.
 */
public record TruncationJob(Path generator, double[] psis, double threshold, int n, int k, int batch, long seed) {
    public TruncationJob {
        if (psis.length == 0) {
            throw new FoilException("--psi needs at least one value");
        }
        if (n <= k || n < 2) {
            throw new FoilException("--n must be more than --k (" + k + ") and at least 2, not " + n);
        }
        for (double p : psis) {
            new Truncation(p, threshold); // checks the values
        }
    }

    public Map<String, Object> execute(RunDirectory dir, FeatureNetwork net, ImageDataset real) {
        float[][] realFeatures = net.features(real, Math.min(n, real.size()), batch);
        GaussianStats realStats = GaussianStats.of(realFeatures);
        List<Map<String, Object>> rows = new ArrayList<>();
        List<ImageRows.Row> pictures = new ArrayList<>();
        for (double psi : psis) {
            ClassHistogram classes = new ClassHistogram(net.model().numClasses());
            List<float[]> shown = new ArrayList<>();
            float[][] features = new FeatureSource.Generator(generator, new Truncation(psi, threshold), true).load(net,
                    n, seed, batch, (images, b) -> {
                        classes.add(net.model(), images, b);
                        int size = images.length / b;
                        for (int i = 0; i < b && shown.size() < 10; i++) {
                            shown.add(Arrays.copyOfRange(images, i * size, (i + 1) * size));
                        }
                    }).features();
            Prdc p = Prdc.of(realFeatures, features, k);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("psi", psi);
            row.put("fid", Fid.distance(realStats, GaussianStats.of(features)));
            row.put("precision", p.precision());
            row.put("recall", p.recall());
            row.put("density", p.density());
            row.put("coverage", p.coverage());
            row.put("class_entropy", classes.entropy());
            rows.add(row);
            pictures.add(new ImageRows.Row(String.format(java.util.Locale.ROOT, "psi = %.2f", psi), shown, null,
                    null, null));
        }
        Png.write(ImageRows.draw("Truncation: the same latents pulled towards the mean", pictures,
                (int) net.model().inputShape().get(0), (int) net.model().inputShape().get(1),
                (int) net.model().inputShape().get(2), 2), dir.resolve("truncation_rows.png"));
        double[] x = Arrays.copyOf(psis, psis.length);
        Charts.lines(dir.resolve("tradeoff.png"), "Truncation trade-off (" + net.name() + ")", "psi",
                "fraction", List.of(series("precision", rows, x), series("recall", rows, x),
                        series("coverage", rows, x), series("class entropy", rows, x, "class_entropy")), 0.0, 1.05);
        Charts.lines(dir.resolve("fid.png"), "FID (" + net.name() + ") against psi", "psi", "FID",
                List.of(series("FID", rows, x, "fid")), 0.0, null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature_network", net.name());
        m.put("judge", "the feature network's own classifier (its logits), for class_entropy");
        m.put("n", n);
        m.put("threshold", threshold);
        m.put("sampling", "inference mode: batch norm with its running statistics (in training mode each batch is "
                + "normalised again, which undoes most of a scaling of the latents)");
        m.putAll(new FeatureSource.Generator(generator, Truncation.NONE, true).sampling());
        m.put("rows", rows);
        dir.writeMetrics(m);
        return m;
    }

    private static Charts.Series series(String name, List<Map<String, Object>> rows, double[] x) {
        return series(name, rows, x, name);
    }

    private static Charts.Series series(String name, List<Map<String, Object>> rows, double[] x, String key) {
        return new Charts.Series(name, x, rows.stream().mapToDouble(r -> (Double) r.get(key)).toArray());
    }
}
