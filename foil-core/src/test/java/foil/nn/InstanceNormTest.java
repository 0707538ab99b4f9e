package foil.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import foil.Foil;
import foil.testing.Threads;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Instance norm and reflection padding against their definitions, computed here in float64. */
class InstanceNormTest {
    static final int N = 3;
    static final int C = 4;
    static final int H = 5;
    static final int W = 6;

    private static float[] input(long seed) {
        Random r = new Random(seed);
        float[] x = new float[N * C * H * W];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (r.nextGaussian() * (1 + i % 3) + (i / (H * W)) % 5); // each slice its own mean and scale
        }
        return x;
    }

    /**
     * y = (x - mean) / sqrt(var + eps) per (n, c) slice, var biased, then gamma[c]·y + beta[c]; and, for the upstream
     * gradient g, dL/dx = gamma[c] / sqrt(var + eps) · (g - mean(g) - ŷ·mean(g·ŷ)), dL/dgamma[c] = Σ g·ŷ, dL/dbeta[c] = Σ g.
     */
    private static double[][] reference(float[] x, float[] g, double[] gamma, double[] beta, double eps) {
        int p = H * W;
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        double[] dgamma = new double[C];
        double[] dbeta = new double[C];
        for (int s = 0; s < N * C; s++) {
            int c = s % C;
            double mean = 0;
            for (int i = 0; i < p; i++) {
                mean += x[s * p + i] / (double) p;
            }
            double var = 0;
            for (int i = 0; i < p; i++) {
                var += (x[s * p + i] - mean) * (x[s * p + i] - mean) / p;
            }
            double inv = 1 / Math.sqrt(var + eps);
            double[] hat = new double[p];
            double meanG = 0;
            double meanGHat = 0;
            for (int i = 0; i < p; i++) {
                hat[i] = (x[s * p + i] - mean) * inv;
                y[s * p + i] = gamma[c] * hat[i] + beta[c];
                double gh = g[s * p + i] * gamma[c];
                meanG += gh / p;
                meanGHat += gh * hat[i] / p;
                dgamma[c] += g[s * p + i] * hat[i];
                dbeta[c] += g[s * p + i];
            }
            for (int i = 0; i < p; i++) {
                dx[s * p + i] = inv * (g[s * p + i] * gamma[c] - meanG - hat[i] * meanGHat);
            }
        }
        return new double[][] {y, dx, dgamma, dbeta};
    }

    private static void assertClose(double[] expected, float[] actual, double tol, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * (1 + Math.abs(expected[i])), what + " at " + i);
        }
    }

    private static void check(boolean affine, int threads) {
        float[] x = input(1);
        float[] g = input(2);
        InstanceNorm norm = new InstanceNorm(affine);
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            norm.initialize(m, DataType.FLOAT32, new Shape(N, C, H, W));
            double[] gamma = {1, 1, 1, 1};
            double[] beta = {0, 0, 0, 0};
            if (affine) {
                gamma = new double[] {0.5, 2, -1, 1.5};
                beta = new double[] {0.1, -0.2, 0.3, 0};
                norm.getParameters().get("gamma").getArray().set(new float[] {0.5f, 2f, -1f, 1.5f});
                norm.getParameters().get("beta").getArray().set(new float[] {0.1f, -0.2f, 0.3f, 0f});
            }
            double[][] ref = reference(x, g, gamma, beta, InstanceNorm.DEFAULT_EPS);
            NDArray in = m.create(x, new Shape(N, C, H, W));
            in.setRequiresGradient(true);
            try (GradientCollector gc = Foil.engine().newGradientCollector()) {
                NDArray y = norm.forward(new ParameterStore(m, false), new NDList(in), true).singletonOrThrow();
                assertClose(ref[0], y.toFloatArray(), 1e-5, "output (affine " + affine + ", " + threads + " threads)");
                gc.backward(y.mul(m.create(g, new Shape(N, C, H, W))).sum());
            }
            assertClose(ref[1], in.getGradient().toFloatArray(), 1e-4, "input gradient (affine " + affine + ", "
                    + threads + " threads)");
            if (affine) {
                assertClose(ref[2], norm.getParameters().get("gamma").getArray().getGradient().toFloatArray(), 1e-4,
                        "gamma gradient");
                assertClose(ref[3], norm.getParameters().get("beta").getArray().getGradient().toFloatArray(), 1e-4,
                        "beta gradient");
            }
        }
    }

    @Test
    void matchesItsDefinitionInValuesAndGradients() {
        Threads.atOneAndTwo(threads -> {
            check(false, threads);
            check(true, threads);
        });
    }

    @Test
    void isTheSameForEveryBatchAndEveryShift() {
        // each sample on its own: normalising it alone or in a batch gives the same; adding a constant changes nothing
        float[] x = input(3);
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            NDArray all = InstanceNorm.normalize(m.create(x, new Shape(N, C, H, W)), 1e-5f);
            NDArray first = InstanceNorm.normalize(m.create(java.util.Arrays.copyOf(x, C * H * W), new Shape(1, C, H,
                    W)), 1e-5f);
            NDArray shifted = InstanceNorm.normalize(m.create(x, new Shape(N, C, H, W)).add(7f), 1e-5f);
            float[] a = all.toFloatArray();
            float[] f = first.toFloatArray();
            float[] s = shifted.toFloatArray();
            for (int i = 0; i < f.length; i++) {
                assertEquals(a[i], f[i], 1e-5, "sample 0 alone at " + i);
            }
            for (int i = 0; i < a.length; i++) {
                assertEquals(a[i], s[i], 1e-4, "shifted at " + i);
            }
        }
    }

    @Test
    void reflectionPaddingMirrorsWithoutRepeatingTheEdge() {
        float[] x = input(4);
        int p = 2;
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            float[] y = ReflectionPad2d.pad(m.create(x, new Shape(N, C, H, W)), p).toFloatArray();
            int h2 = H + 2 * p;
            int w2 = W + 2 * p;
            assertEquals(N * C * h2 * w2, y.length);
            for (int s = 0; s < N * C; s++) {
                for (int r = 0; r < h2; r++) {
                    for (int c = 0; c < w2; c++) {
                        int sr = reflect(r - p, H);
                        int sc = reflect(c - p, W);
                        assertEquals(x[s * H * W + sr * W + sc], y[s * h2 * w2 + r * w2 + c], 0f, "at " + s + "," + r
                                + "," + c);
                    }
                }
            }
        }
    }

    /** The definition: index -k is k, index n-1+k is n-1-k. */
    private static int reflect(int i, int n) {
        return i < 0 ? -i : i >= n ? 2 * (n - 1) - i : i;
    }
}
