package foil.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import java.util.Random;

/**
 * The Kernel Inception Distance of Bińkowski et al. (2018): the unbiased estimate of the squared maximum mean
 * discrepancy with the polynomial kernel k(x, y) = (xᵀy / d + 1)³, averaged over random subsets (drawn without
 * replacement, as the reference code). It is unbiased, so it can be negative when both sets come from one
 * distribution. When the subset size is at least both set sizes, the one subset is the whole sets: the exact
 * unbiased estimate.
 */
public final class Kid {
    private Kid() {}

    /** The mean and standard deviation of the estimate over {@code subsets} subsets of {@code subsetSize}. */
    public record Result(double mean, double std, int subsets, int subsetSize) {}

    public static Result of(float[][] real, float[][] fake, int subsets, int subsetSize, long seed) {
        if (real.length < 2 || fake.length < 2) {
            throw new FoilException("KID needs at least 2 feature vectors on each side (" + real.length + " and "
                    + fake.length + ")");
        }
        if (real[0].length != fake[0].length) {
            throw new FoilException("features of different dimensions: " + real[0].length + " and " + fake[0].length);
        }
        if (subsets < 1 || subsetSize < 2) {
            throw new FoilException("--kid-subsets must be positive and --kid-subset-size at least 2");
        }
        if (subsetSize >= real.length && subsetSize >= fake.length) {
            return new Result(mmd2(real, fake), 0, 1, Math.max(real.length, fake.length));
        }
        int m = Math.min(subsetSize, Math.min(real.length, fake.length));
        Random random = new Random(seed);
        double[] values = new double[subsets];
        for (int s = 0; s < subsets; s++) {
            values[s] = mmd2(subset(real, m, random), subset(fake, m, random));
        }
        double mean = 0;
        for (double v : values) {
            mean += v / subsets;
        }
        double var = 0;
        for (double v : values) {
            var += (v - mean) * (v - mean) / subsets;
        }
        return new Result(mean, Math.sqrt(var), subsets, m);
    }

    /**
     * The unbiased MMD² between two sets (each at least 2 vectors) with the cubic polynomial kernel. The kernel
     * matrices are float64 matrix products on the engine; the diagonals of the within-set ones are left out.
     */
    public static double mmd2(float[][] x, float[][] y) {
        int m = x.length;
        int n = y.length;
        int d = x[0].length;
        try (NDManager nd = NDManager.newBaseManager(Foil.device())) {
            NDArray a = nd.create(flat(x), new Shape(m, d));
            NDArray b = nd.create(flat(y), new Shape(n, d));
            double kxx = kernelSum(a, a, d) - diagonal(x, d);
            double kyy = kernelSum(b, b, d) - diagonal(y, d);
            double kxy = kernelSum(a, b, d);
            return kxx / ((double) m * (m - 1)) + kyy / ((double) n * (n - 1)) - 2 * kxy / ((double) m * n);
        }
    }

    private static double kernelSum(NDArray a, NDArray b, int d) {
        return a.matMul(b.transpose()).div(d).add(1).pow(3).sum().getDouble();
    }

    private static double diagonal(float[][] x, int d) {
        double s = 0;
        for (float[] v : x) {
            s += kernel(v, v, d);
        }
        return s;
    }

    private static double[] flat(float[][] rows) {
        int d = rows[0].length;
        double[] out = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < d; j++) {
                out[i * d + j] = rows[i][j];
            }
        }
        return out;
    }

    static double kernel(float[] a, float[] b, int d) {
        double dot = 0;
        for (int i = 0; i < d; i++) {
            dot += (double) a[i] * b[i];
        }
        double k = dot / d + 1;
        return k * k * k;
    }

    /** {@code size} rows of {@code rows} drawn without replacement (a partial Fisher-Yates shuffle). */
    static float[][] subset(float[][] rows, int size, Random random) {
        int[] idx = new int[rows.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        float[][] out = new float[size][];
        for (int i = 0; i < size; i++) {
            int j = i + random.nextInt(idx.length - i);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
            out[i] = rows[idx[i]];
        }
        return out;
    }
}
