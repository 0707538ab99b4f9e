package foil.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.FoilModel;
import foil.testing.Synthetic;
import java.util.List;
import org.junit.jupiter.api.Test;

class FgsmTest {

    /** On softmax regression z = Wx + b, ∇x CE = Wᵀ(softmax(z) - onehot(y)), so FGSM has a closed form. */
    @Test
    void equalsTheClosedFormOnALinearModel() {
        Engine.getInstance().setRandomSeed(3);
        ImageDataset data = Synthetic.dataset(20, 5);
        try (FoilModel model = FoilModel.create(Architecture.SOFTMAX, data.imageShape(), 10, List.of());
                NDManager m = NDManager.newBaseManager()) {
            float[] w = null;
            float[] b = null;
            for (Pair<String, Parameter> p : model.block().getParameters()) {
                if (p.getKey().endsWith("weight")) {
                    w = p.getValue().getArray().toFloatArray();
                } else if (p.getKey().endsWith("bias")) {
                    b = p.getValue().getArray().toFloatArray();
                }
            }
            float eps = 0.07f;
            NDArray x = data.images(m, 0, 20);
            NDArray y = data.labels(m, 0, 20);
            float[] weight = w;
            float[] bias = b;
            foil.testing.Threads.atOneAndTwo(threads -> {
            for (boolean targeted : new boolean[] {false, true}) {
                int[] goal = new int[20];
                for (int i = 0; i < 20; i++) {
                    goal[i] = targeted ? (data.labels()[i] + 3) % 10 : data.labels()[i];
                }
                NDArray t = targeted ? m.create(java.util.Arrays.stream(goal).asLongStream().toArray()) : null;
                float[] adv = new Fgsm(eps).run(model, x, y, t).adversarial().toFloatArray();
                int n = data.imageSize();
                for (int i = 0; i < 20; i++) {
                    float[] g = closedFormGradient(weight, bias, data.pixels(), i * n, n, goal[i]);
                    for (int p = 0; p < n; p++) {
                        float dir = targeted ? -Math.signum(g[p]) : Math.signum(g[p]);
                        float expected = Math.min(1f, Math.max(0f, data.pixels()[i * n + p] + eps * dir));
                        assertEquals(expected, adv[i * n + p], 1e-6f, threads + " thread(s), example " + i
                                + " pixel " + p);
                    }
                }
            }
            });
        }
    }

    static float[] closedFormGradient(float[] w, float[] b, float[] x, int off, int n, int label) {
        int k = b.length;
        double[] z = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            z[c] = b[c];
            for (int p = 0; p < n; p++) {
                z[c] += w[c * n + p] * x[off + p];
            }
            max = Math.max(max, z[c]);
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        float[] g = new float[n];
        for (int c = 0; c < k; c++) {
            double coef = z[c] / sum - (c == label ? 1 : 0);
            for (int p = 0; p < n; p++) {
                g[p] += (float) (coef * w[c * n + p]);
            }
        }
        return g;
    }
}
