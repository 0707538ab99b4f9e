package foil.run;

import foil.FoilException;
import foil.data.ImageDataset;
import foil.gan.GanNetworks;
import foil.gan.GanTrainer;
import foil.gan.Truncation;
import foil.metrics.FeatureNetwork;
import foil.metrics.FeatureSource;
import foil.metrics.Fid;
import foil.metrics.GaussianStats;
import foil.metrics.Kid;
import foil.report.Charts;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The image GAN trainer's eval series: KID and FID of {@code n} samples against the features of the first {@code n}
 * real test images, computed once, in a feature network. The samples come from the same latents every time (batches
 * of the training batch size, batch norm in training mode), so the curve moves with the generator and not with the
 * draw; KID averages {@value #KID_SUBSETS} subsets of half the samples, so its spread shows too. Small N makes both
 * biased upwards (FID more so): the curves compare iterations of one run, not runs of different N.
 */
public final class ImageEvaluation implements GanTrainer.Evaluator {
    public static final int KID_SUBSETS = 50;
    static final long NOISE_SEED = 5678;

    private final FeatureNetwork net;
    private final String realName;
    private final float[][] real;
    private final GaussianStats realStats;
    private final int n;
    private final int batch;
    private final int subsetSize;

    /** Computes the real side's features now, with {@code net} (kept open by the caller). */
    public ImageEvaluation(FeatureNetwork net, ImageDataset realImages, int n, int batch) {
        if (n < 2 || n > 100_000) {
            throw new FoilException("--eval-n must be in [2, 100000], not " + n);
        }
        int nReal = Math.min(n, realImages.size());
        if (nReal < 2) {
            throw new FoilException(realImages.name() + " has " + realImages.size() + " test images: KID needs 2");
        }
        this.net = net;
        this.realName = realImages.name() + " test split, first " + nReal + " images";
        this.real = net.features(realImages, nReal, batch);
        this.realStats = GaussianStats.of(real);
        this.n = n;
        this.batch = batch;
        this.subsetSize = Math.max(2, Math.min(nReal, n) / 2);
    }

    @Override
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("feature_network", net.name());
        m.put("real", realName);
        m.put("n_real", real.length);
        m.put("n_fake", n);
        m.put("kid_subsets", KID_SUBSETS);
        m.put("kid_subset_size", subsetSize);
        m.put("sampling_mode", GanNetworks.TRAINING_MODE);
        m.put("noise_seed", NOISE_SEED);
        return m;
    }

    @Override
    public Map<String, Object> evaluate(GanNetworks networks) {
        float[][] fake = FeatureSource.Generator.features(networks, net, Truncation.NONE, false, n, NOISE_SEED, batch);
        Kid.Result kid = Kid.of(real, fake, KID_SUBSETS, subsetSize, NOISE_SEED);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kid", kid.mean());
        m.put("kid_std", kid.std());
        m.put("fid", Fid.distance(realStats, GaussianStats.of(fake)));
        return m;
    }

    /** kid.png (with KID ± its spread over subsets) and fid.png, titled with the feature network. */
    @Override
    public void draw(List<Map<String, Object>> series, Path dir) {
        double[] it = MogJob.column(series, "iteration");
        double[] kid = MogJob.column(series, "kid");
        double[] std = MogJob.column(series, "kid_std");
        double[] low = new double[kid.length];
        double[] high = new double[kid.length];
        for (int i = 0; i < kid.length; i++) {
            low[i] = kid[i] - std[i];
            high[i] = kid[i] + std[i];
        }
        String about = " (" + net.name() + ")";
        Charts.lines(dir.resolve("kid.png"), "KID" + about, "iteration", "KID", List.of(
                new Charts.Series("KID, " + n + " samples", it, kid, Charts.Line.MARKED, null),
                new Charts.Series("KID + std over " + KID_SUBSETS + " subsets", it, high, Charts.Line.DASHED,
                        java.awt.Color.GRAY),
                new Charts.Series("KID - std", it, low, Charts.Line.DOTTED, java.awt.Color.GRAY)), null, null);
        Charts.lines(dir.resolve("fid.png"), "FID" + about, "iteration", "FID", List.of(
                new Charts.Series("FID, " + n + " samples", it, MogJob.column(series, "fid"), Charts.Line.MARKED,
                        null)), 0.0, null);
    }
}
