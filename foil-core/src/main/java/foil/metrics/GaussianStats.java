package foil.metrics;

import foil.FoilException;

/**
 * A Gaussian fitted to a set of feature vectors, as pytorch-fid fits it: the mean and the unbiased sample
 * covariance (divided by N - 1). The statistics FID compares; also what a pytorch-fid {@code .npz} holds.
 */
public record GaussianStats(double[] mu, double[][] sigma, int n) {
    public GaussianStats {
        int d = mu.length;
        if (sigma.length != d || (d > 0 && sigma[0].length != d)) {
            throw new FoilException("mu has dimension " + d + " but sigma is " + sigma.length + "x"
                    + (sigma.length == 0 ? 0 : sigma[0].length) + ": they must match");
        }
    }

    public int dimension() {
        return mu.length;
    }

    /** Mean and unbiased covariance of {@code features} (N × D, N at least 2). */
    public static GaussianStats of(float[][] features) {
        int n = features.length;
        if (n < 2) {
            throw new FoilException("a covariance needs at least 2 feature vectors, not " + n);
        }
        int d = features[0].length;
        double[] mu = new double[d];
        for (float[] f : features) {
            if (f.length != d) {
                throw new FoilException("feature vectors of different dimensions (" + d + " and " + f.length + ")");
            }
            for (int j = 0; j < d; j++) {
                mu[j] += f[j];
            }
        }
        for (int j = 0; j < d; j++) {
            mu[j] /= n;
        }
        double[][] sigma = new double[d][d];
        double[] c = new double[d];
        for (float[] f : features) {
            for (int j = 0; j < d; j++) {
                c[j] = f[j] - mu[j];
            }
            for (int a = 0; a < d; a++) {
                double ca = c[a];
                if (ca == 0) {
                    continue;
                }
                double[] row = sigma[a];
                for (int b = a; b < d; b++) {
                    row[b] += ca * c[b];
                }
            }
        }
        for (int a = 0; a < d; a++) {
            for (int b = a; b < d; b++) {
                sigma[a][b] /= n - 1;
                sigma[b][a] = sigma[a][b];
            }
        }
        return new GaussianStats(mu, sigma, n);
    }
}
