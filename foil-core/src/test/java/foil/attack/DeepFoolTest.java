package foil.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.FoilException;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.testing.Synthetic;
import foil.testing.Threads;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeepFoolTest {

    /**
     * On softmax regression z = Wx + b the linearisation is exact, so one DeepFool step with no overshoot is
     * the projection onto the nearest boundary z_k = z_y: for L2, r = (d + 10⁻⁴)·w/‖w‖₂ with w = W_k − W_y
     * and d = min_k |z_k − z_y| / ‖W_k − W_y‖₂; for L-inf, r = (d + 10⁻⁴)·sign(w) with ‖·‖₁ in d. Computed
     * here in float64 from the weights, on images where the box does not bind.
     */
    @Test
    void oneStepIsTheProjectionOnTheNearestBoundaryOfALinearModel() {
        Engine.getInstance().setRandomSeed(3);
        ImageDataset data = Synthetic.dataset(20, 5);
        int n = data.imageSize();
        try (FoilModel model = FoilModel.create(Architecture.SOFTMAX, data.imageShape(), 10, List.of());
                NDManager m = NDManager.newBaseManager()) {
            Linear lin = Linear.of(model);
            NDArray x = data.images(m, 0, 20);
            int[] pred = model.predict(x);
            NDArray y = m.create(java.util.Arrays.stream(pred).asLongStream().toArray()); // all "correct"
            Threads.atOneAndTwo(threads -> {
                for (Norm norm : Norm.values()) {
                    AttackResult r = new DeepFool(norm, 0f, 1, 10).run(model, x, y, null);
                    float[] adv = r.adversarial().toFloatArray();
                    int checked = 0;
                    for (int i = 0; i < 20; i++) {
                        double[] step = lin.projection(data.pixels(), i * n, pred[i], norm);
                        boolean inside = true;
                        for (int p = 0; p < n; p++) {
                            double v = data.pixels()[i * n + p] + step[p];
                            inside &= v >= 0 && v <= 1;
                        }
                        if (!inside) {
                            continue;
                        }
                        checked++;
                        double size = 0;
                        for (int p = 0; p < n; p++) {
                            double expected = data.pixels()[i * n + p] + step[p];
                            assertEquals(expected, adv[i * n + p], 2e-5 + 1e-3 * Math.abs(step[p]),
                                    norm + ", " + threads + " thread(s), image " + i + " pixel " + p);
                            size = norm == Norm.L2 ? size + step[p] * step[p] : Math.max(size, Math.abs(step[p]));
                        }
                        size = norm == Norm.L2 ? Math.sqrt(size) : size;
                        float measured = norm == Norm.L2 ? r.distortion().l2()[i] : r.distortion().linf()[i];
                        assertEquals(size, measured, 1e-3 * size + 1e-5, norm + " distance, image " + i);
                    }
                    assertTrue(checked >= 15, "the box bound on too many images: " + checked + " of 20 checked");
                }
            });
        }
    }

    /** The weights of a softmax-regression model in float64, and DeepFool's exact step on it. */
    record Linear(double[][] w, double[] b) {
        static Linear of(FoilModel model) {
            float[] wf = null;
            float[] bf = null;
            for (var p : model.block().getParameters()) {
                if (p.getKey().endsWith("weight")) {
                    wf = p.getValue().getArray().toFloatArray();
                } else if (p.getKey().endsWith("bias")) {
                    bf = p.getValue().getArray().toFloatArray();
                }
            }
            int k = bf.length;
            int n = wf.length / k;
            double[][] w = new double[k][n];
            double[] b = new double[k];
            for (int c = 0; c < k; c++) {
                b[c] = bf[c];
                for (int p = 0; p < n; p++) {
                    w[c][p] = wf[c * n + p];
                }
            }
            return new Linear(w, b);
        }

        double[] logits(float[] x, int off) {
            double[] z = b.clone();
            for (int c = 0; c < z.length; c++) {
                for (int p = 0; p < w[c].length; p++) {
                    z[c] += w[c][p] * x[off + p];
                }
            }
            return z;
        }

        /** DeepFool's step from x away from class y: onto the nearest boundary in the norm's dual. */
        double[] projection(float[] x, int off, int y, Norm norm) {
            double[] z = logits(x, off);
            int n = w[0].length;
            double best = Double.POSITIVE_INFINITY;
            double[] dir = null;
            for (int k = 0; k < z.length; k++) {
                if (k == y) {
                    continue;
                }
                double[] d = new double[n];
                double size = 0;
                for (int p = 0; p < n; p++) {
                    d[p] = w[k][p] - w[y][p];
                    size += norm == Norm.L2 ? d[p] * d[p] : Math.abs(d[p]);
                }
                size = norm == Norm.L2 ? Math.sqrt(size) : size;
                double dist = Math.abs(z[k] - z[y]) / size;
                if (dist < best) {
                    best = dist;
                    dir = new double[n];
                    double l2 = 0;
                    for (double v : d) {
                        l2 += v * v;
                    }
                    for (int p = 0; p < n; p++) {
                        dir[p] = norm == Norm.L2 ? d[p] / Math.sqrt(l2) : Math.signum(d[p]);
                    }
                }
            }
            for (int p = 0; p < n; p++) {
                dir[p] *= best + 1e-4;
            }
            return dir;
        }
    }

    @Test
    void flipsTheImagesItMovesAndLeavesTheWrongOnesAlone() {
        Engine.getInstance().setRandomSeed(1);
        ImageDataset data = Synthetic.dataset(400, 3);
        try (FoilModel model = FoilModel.create(Architecture.MLP, data.imageShape(), 10, List.of())) {
            ClassifierTrainer.train(model, data, new TrainOptions(10, 50, 1e-2f, 0f, 1));
            int before = model.djlModel().getNDManager().getManagedArrays().size();
            for (Norm norm : Norm.values()) {
                AttackRun.Outcome o = AttackRun.run(DeepFool.of(norm), model, data.head(60), Targeting.untargeted(),
                        25, 0, true);
                assertEquals(1.0, o.successRate(), 1e-9, norm + ": DeepFool flips every image");
                for (float v : o.adversarial()) {
                    assertTrue(v >= 0f && v <= 1f, "pixel out of [0,1]: " + v);
                }
                for (int i = 0; i < o.n(); i++) {
                    if (o.cleanPredictions()[i] != o.labels()[i]) {
                        assertEquals(0f, o.l2()[i], "a misclassified image does not move");
                    } else {
                        assertTrue(o.l2()[i] > 0f);
                    }
                }
            }
            // a random label makes most images wrong already: they stay where they are
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = data.images(m, 0, 10);
                NDArray wrong = m.create(new long[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 0});
                AttackResult r = DeepFool.of(Norm.L2).run(model, x, wrong, null);
                for (int i = 0; i < 10; i++) {
                    assertTrue(r.success()[i]);
                    assertEquals(0f, r.distortion().l2()[i]);
                }
            }
            assertEquals(before, model.djlModel().getNDManager().getManagedArrays().size());
        }
    }

    @Test
    void rejectsTargetsAndBadSettings() {
        Engine.getInstance().setRandomSeed(1);
        ImageDataset data = Synthetic.dataset(10, 3);
        try (FoilModel model = FoilModel.create(Architecture.SOFTMAX, data.imageShape(), 10, List.of());
                NDManager m = NDManager.newBaseManager()) {
            NDArray x = data.images(m, 0, 10);
            FoilException e = assertThrows(FoilException.class,
                    () -> DeepFool.of(Norm.L2).run(model, x, data.labels(m, 0, 10), data.labels(m, 0, 10)));
            assertTrue(e.getMessage().contains("untargeted"), e.getMessage());
        }
        assertThrows(FoilException.class, () -> new DeepFool(Norm.L2, -0.1f, 50, 10));
        assertThrows(FoilException.class, () -> new DeepFool(Norm.L2, Float.NaN, 50, 10));
        assertThrows(FoilException.class, () -> new DeepFool(Norm.L2, 0.02f, 0, 10));
        assertThrows(FoilException.class, () -> new DeepFool(Norm.L2, 0.02f, 50, 1));
    }
}
