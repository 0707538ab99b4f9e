package foil.run;

import foil.FoilException;
import foil.data.DataSource;
import foil.metrics.FeatureFile;
import foil.metrics.FeatureNetwork;
import foil.metrics.FeatureSource;
import foil.metrics.Fid;
import foil.metrics.GaussianStats;
import foil.metrics.Kid;
import foil.metrics.Prdc;
import foil.io.RunDirectory;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores source B (the generated or compared set) against source A (the reference): FID always; FID∞, KID and
 * precision/recall/density/coverage where both sides have features; and the real-against-real floor (training
 * images against test images, same N) where a dataset is known. Writes both sides' statistics in pytorch-fid's
 * format beside metrics.json, so they can be reused or compared with Python.
 */
public record FidJob(FeatureSource a, FeatureSource b, Path features, String layer, DataSource data, int n, int k,
        int kidSubsets, int kidSubsetSize, int batch, long seed) {
    public FidJob {
        if (n < 2 || k < 1 || batch < 1) {
            throw new FoilException("--n must be at least 2, --k and --batch positive");
        }
    }

    public Map<String, Object> execute(RunDirectory dir) {
        DataSource dataset = data != null ? data : a.dataset() != null ? a.dataset() : b.dataset();
        boolean storedOnly = a instanceof FeatureSource.Stored && b instanceof FeatureSource.Stored;
        if (features == null && dataset == null && !storedOnly) {
            throw new FoilException("no dataset to train the default feature network on: give --data DATASET, "
                    + "or --features MODEL (a Foil model directory) with --layer");
        }
        FeatureNetwork net = FeatureNetwork.open(features, layer, dataset);
        try {
            FeatureFile fa = a.load(net, n, seed, batch);
            FeatureFile fb = b.load(net, n, seed + 1, batch);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("feature_network", net != null ? net.name() : "as stored in the .npz files");
            m.put("feature_dimension", fa.statistics().dimension());
            m.putAll(b.sampling()); // generator_weights and sampling_mode where B is a generator
            a.sampling().forEach((key, value) -> m.put("reference_" + key, value));
            m.putAll(score(fa, fb));
            if (net != null && dataset != null) {
                FeatureFile train = new FeatureSource.Dataset(dataset, true).load(net, n, seed, batch);
                FeatureFile test = new FeatureSource.Dataset(dataset, false).load(net, n, seed, batch);
                int floorN = Math.min(train.features().length, test.features().length);
                m.put("fid_floor", Fid.distance(GaussianStats.of(java.util.Arrays.copyOf(train.features(), floorN)),
                        GaussianStats.of(java.util.Arrays.copyOf(test.features(), floorN))));
                m.put("kid_floor", Kid.of(train.features(), test.features(), kidSubsets, kidSubsetSize, seed).mean());
                m.put("floor_n", floorN);
            } else {
                m.put("fid_floor", null);
                m.put("floor_note", "no dataset given (--data): no real-against-real floor");
            }
            FeatureFile.writeStatistics(dir.resolve("a_stats.npz"), fa.statistics());
            FeatureFile.writeStatistics(dir.resolve("b_stats.npz"), fb.statistics());
            dir.writeMetrics(m);
            return m;
        } finally {
            if (net != null) {
                net.close();
            }
        }
    }

    private Map<String, Object> score(FeatureFile fa, FeatureFile fb) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n_real", fa.hasFeatures() ? fa.features().length : fa.statistics().n());
        m.put("n_fake", fb.hasFeatures() ? fb.features().length : fb.statistics().n());
        m.put("fid", Fid.distance(fa.statistics(), fb.statistics()));
        if (!fa.hasFeatures() || !fb.hasFeatures()) {
            m.put("note", "statistics only on one side: FID alone (KID and precision/recall need features)");
            return m;
        }
        int nf = fb.features().length;
        if (nf >= 100) {
            int[] sizes = new int[5];
            for (int i = 0; i < 5; i++) {
                sizes[i] = Math.max(2, nf * (i + 1) / 5);
            }
            m.put("fid_inf", Fid.infinity(fa.statistics(), fb.features(), sizes, seed).fidInfinity());
        }
        Kid.Result kid = Kid.of(fa.features(), fb.features(), kidSubsets, kidSubsetSize, seed);
        m.put("kid", kid.mean());
        m.put("kid_std", kid.std());
        m.put("kid_subsets", kid.subsets());
        m.put("kid_subset_size", kid.subsetSize());
        Prdc p = Prdc.of(fa.features(), fb.features(), k);
        m.put("precision", p.precision());
        m.put("recall", p.recall());
        m.put("density", p.density());
        m.put("coverage", p.coverage());
        m.put("k", k);
        return m;
    }
}
