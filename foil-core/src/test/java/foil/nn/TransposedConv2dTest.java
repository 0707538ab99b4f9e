package foil.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import org.junit.jupiter.api.Test;

class TransposedConv2dTest {

    /** The definition: every input pixel scatters its value times the kernel into the output. */
    static float[] byDefinition(float[] in, int n, int ci, int h, int w, float[] weight, float[] bias, int co, int k,
            int s, int p) {
        int oh = (h - 1) * s - 2 * p + k;
        int ow = (w - 1) * s - 2 * p + k;
        float[] out = new float[n * co * oh * ow];
        for (int b = 0; b < n; b++) {
            for (int o = 0; o < co; o++) {
                for (int q = 0; q < oh * ow; q++) {
                    out[(b * co + o) * oh * ow + q] = bias[o];
                }
                for (int i = 0; i < ci; i++) {
                    for (int y = 0; y < h; y++) {
                        for (int x = 0; x < w; x++) {
                            float v = in[((b * ci + i) * h + y) * w + x];
                            for (int u = 0; u < k; u++) {
                                for (int t = 0; t < k; t++) {
                                    int oy = y * s - p + u;
                                    int ox = x * s - p + t;
                                    if (oy >= 0 && oy < oh && ox >= 0 && ox < ow) {
                                        // the inner convolution's kernel is the transposed one flipped in space
                                        float wt = weight[((o * ci + i) * k + (k - 1 - u)) * k + (k - 1 - t)];
                                        out[((b * co + o) * oh + oy) * ow + ox] += v * wt;
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return out;
    }

    @Test
    void matchesTheDefinitionOfTheTransposedConvolution() {
        foil.testing.Threads.atOneAndTwo(threads -> matchesTheDefinitionAt(threads));
    }

    private void matchesTheDefinitionAt(int threads) {
        int[][] cases = {{4, 2, 1}, {3, 1, 1}, {3, 2, 0}, {5, 3, 1}, {4, 1, 0}};
        for (int[] c : cases) {
            int k = c[0];
            int s = c[1];
            int p = c[2];
            try (NDManager m = NDManager.newBaseManager()) {
                TransposedConv2d t = new TransposedConv2d(3, k, s, p);
                Shape inShape = new Shape(2, 2, 5, 4);
                t.initialize(m, DataType.FLOAT32, inShape);
                NDArray x = m.randomNormal(inShape);
                NDArray y = t.forward(new ParameterStore(m, false), new NDList(x), false).singletonOrThrow();
                int oh = (5 - 1) * s - 2 * p + k;
                int ow = (4 - 1) * s - 2 * p + k;
                assertEquals(new Shape(2, 3, oh, ow), y.getShape(), "k" + k + " s" + s + " p" + p);
                assertEquals(y.getShape(), t.getOutputShapes(new Shape[] {inShape})[0]);
                float[] weight = t.inner().getParameters().get("weight").getArray().toFloatArray();
                float[] bias = t.inner().getParameters().get("bias").getArray().toFloatArray();
                float[] want = byDefinition(x.toFloatArray(), 2, 2, 5, 4, weight, bias, 3, k, s, p);
                assertArrayEquals(want, y.toFloatArray(), 1e-4f, "k" + k + " s" + s + " p" + p + ", threads " + threads);
            }
        }
    }
}
