package foil.metrics;

import foil.FoilException;
import foil.io.Npz;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Features or their Gaussian statistics in a NumPy {@code .npz}: {@code features} (N × D), or {@code mu} (D) and
 * {@code sigma} (D × D) as pytorch-fid saves them, so statistics can be exchanged with Python. With features,
 * every metric can be computed; with statistics only, FID.
 */
public record FeatureFile(float[][] features, GaussianStats stats) {
    public boolean hasFeatures() {
        return features != null;
    }

    /** The statistics: as stored, or fitted to the stored features. */
    public GaussianStats statistics() {
        return stats != null ? stats : GaussianStats.of(features);
    }

    public static FeatureFile read(Path path) {
        Map<String, Npz.Array> arrays = Npz.read(path);
        Npz.Array f = arrays.get("features");
        if (f != null) {
            if (f.shape().length != 2) {
                throw new FoilException(path + ": 'features' must be N×D, not of shape "
                        + java.util.Arrays.toString(f.shape()));
            }
            int n = (int) f.shape()[0];
            int d = (int) f.shape()[1];
            float[][] rows = new float[n][d];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < d; j++) {
                    rows[i][j] = (float) f.values()[i * d + j];
                }
            }
            return new FeatureFile(rows, null);
        }
        Npz.Array mu = arrays.get("mu");
        Npz.Array sigma = arrays.get("sigma");
        if (mu == null || sigma == null) {
            throw new FoilException(path + " holds neither 'features' (N×D) nor 'mu' and 'sigma' (pytorch-fid's "
                    + "statistics); its arrays are " + arrays.keySet());
        }
        int d = mu.values().length;
        if (mu.shape().length != 1 || sigma.shape().length != 2 || sigma.shape()[0] != d || sigma.shape()[1] != d) {
            throw new FoilException(path + ": 'mu' must be D and 'sigma' D×D, not " + java.util.Arrays.toString(
                    mu.shape()) + " and " + java.util.Arrays.toString(sigma.shape()));
        }
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(sigma.values(), i * d, s[i], 0, d);
        }
        return new FeatureFile(null, new GaussianStats(mu.values().clone(), s, -1));
    }

    /** Writes pytorch-fid's statistics file: {@code mu} and {@code sigma} in float64. */
    public static void writeStatistics(Path path, GaussianStats stats) {
        int d = stats.dimension();
        double[] flat = new double[d * d];
        for (int i = 0; i < d; i++) {
            System.arraycopy(stats.sigma()[i], 0, flat, i * d, d);
        }
        try {
            new Npz().addFloat64("mu", stats.mu(), d).addFloat64("sigma", flat, d, d).write(path);
        } catch (IOException e) {
            throw new FoilException("cannot write " + path + ": " + e.getMessage());
        }
    }

    /** Writes features (N × D) in float32 under {@code features}. */
    public static void writeFeatures(Path path, float[][] features) {
        int n = features.length;
        int d = n == 0 ? 0 : features[0].length;
        float[] flat = new float[n * d];
        for (int i = 0; i < n; i++) {
            System.arraycopy(features[i], 0, flat, i * d, d);
        }
        try {
            new Npz().addFloat32("features", flat, n, d).write(path);
        } catch (IOException e) {
            throw new FoilException("cannot write " + path + ": " + e.getMessage());
        }
    }
}
