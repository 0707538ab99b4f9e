package foil.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/**
 * The float64 references must be right before they can judge the engine: each gradient they return equals
 * central finite differences of sum(output * upstream), computed here from their own forward pass. Inputs are
 * multiples of 1/1024 and steps are 1/1024, so the perturbed inputs are exact in float.
 */
class ReferenceTest {
    private static final double H = 1.0 / 1024;

    private static float[] dyadic(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (r.nextInt(2049) - 1024) / 1024f;
        }
        return v;
    }

    private static double dot(double[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    /** Central differences of f over every entry of v, compared with the claimed gradient. */
    private static void assertGradient(float[] v, double[] claimed, ToDoubleFunction<float[]> f, String what) {
        double scale = 0;
        for (double c : claimed) {
            scale = Math.max(scale, Math.abs(c));
        }
        for (int i = 0; i < v.length; i++) {
            float keep = v[i];
            v[i] = (float) (keep + H);
            double plus = f.applyAsDouble(v);
            v[i] = (float) (keep - H);
            double minus = f.applyAsDouble(v);
            v[i] = keep;
            assertEquals((plus - minus) / (2 * H), claimed[i], 1e-5 * Math.max(1, scale), what + " at " + i);
        }
    }

    @Test
    void convolutionAdjointsAreFiniteDifferences() {
        Random r = new Random(1);
        int n = 2, c = 2, h = 5, w = 6, o = 3, k = 3;
        for (int[] sp : new int[][] {{1, 1}, {2, 1}, {2, 0}}) {
            float[] x = dyadic(r, n * c * h * w);
            float[] wt = dyadic(r, o * c * k * k);
            float[] b = dyadic(r, o);
            int oh = Reference.convOut(h, k, sp[0], sp[1]);
            int ow = Reference.convOut(w, k, sp[0], sp[1]);
            float[] up = dyadic(r, n * o * oh * ow);
            Reference.Conv g = Reference.conv2d(x, n, c, h, w, wt, o, k, b, sp[0], sp[1], up);
            assertGradient(x, g.inputGrad(), v -> dot(Reference.conv2d(v, n, c, h, w, wt, o, k, b, sp[0], sp[1], null)
                    .out(), up), "conv input");
            assertGradient(wt, g.weightGrad(), v -> dot(Reference.conv2d(x, n, c, h, w, v, o, k, b, sp[0], sp[1], null)
                    .out(), up), "conv weight");
            assertGradient(b, g.biasGrad(), v -> dot(Reference.conv2d(x, n, c, h, w, wt, o, k, v, sp[0], sp[1], null)
                    .out(), up), "conv bias");
        }
    }

    @Test
    void linearAndPoolingAdjointsAreFiniteDifferences() {
        Random r = new Random(2);
        float[] x = dyadic(r, 3 * 7);
        float[] wt = dyadic(r, 4 * 7);
        float[] b = dyadic(r, 4);
        float[] up = dyadic(r, 3 * 4);
        Reference.Conv g = Reference.linear(x, 3, 7, wt, 4, b, up);
        assertGradient(x, g.inputGrad(), v -> dot(Reference.linear(v, 3, 7, wt, 4, b, up).out(), up), "linear input");
        assertGradient(wt, g.weightGrad(), v -> dot(Reference.linear(x, 3, 7, v, 4, b, up).out(), up), "linear weight");

        float[] img = new float[2 * 3 * 4 * 4];
        for (int i = 0; i < img.length; i++) {
            img[i] = i * 37 % img.length / 64f; // distinct values: no ties inside a window
        }
        float[] pup = dyadic(r, 2 * 3 * 2 * 2);
        double[][] p = Reference.maxPool(img, 2, 3, 4, 4, 2, pup);
        assertGradient(img, p[1], v -> dot(Reference.maxPool(v, 2, 3, 4, 4, 2, pup)[0], pup), "max pool input");
    }

    @Test
    void batchNormAdjointsAreFiniteDifferencesInBothModes() {
        Random r = new Random(3);
        int n = 3, c = 2, s = 4;
        float[] gamma = dyadic(r, c);
        float[] beta = dyadic(r, c);
        float[] mean = dyadic(r, c);
        float[] var = {1.5f, 0.75f};
        for (boolean training : new boolean[] {true, false}) {
            float[] x = dyadic(r, n * c * s);
            float[] up = dyadic(r, x.length);
            Reference.Conv g = Reference.batchNorm(x, n, c, s, gamma, beta, mean, var, 1e-5, training, up);
            assertGradient(x, g.inputGrad(), v -> dot(Reference.batchNorm(v, n, c, s, gamma, beta, mean, var, 1e-5,
                    training, up).out(), up), "batch norm input, training " + training);
            assertGradient(gamma, g.weightGrad(), v -> dot(Reference.batchNorm(x, n, c, s, v, beta, mean, var, 1e-5,
                    training, up).out(), up), "batch norm gamma, training " + training);
        }
    }

    @Test
    void crossEntropyGradientIsFiniteDifferences() {
        Random r = new Random(4);
        float[] logits = dyadic(r, 3 * 5);
        long[] labels = {0, 4, 2};
        double[][] g = Reference.crossEntropy(logits, 3, 5, labels);
        assertGradient(logits, g[1], v -> Reference.crossEntropy(v, 3, 5, labels)[0][0], "cross-entropy");
    }
}
