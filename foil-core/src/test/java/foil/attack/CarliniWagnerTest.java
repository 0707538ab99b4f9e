package foil.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.FoilException;
import foil.data.ImageDataset;
import foil.metrics.MinimalPerturbations;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.testing.Synthetic;
import foil.testing.Threads;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CarliniWagnerTest {

    /**
     * On softmax regression the region where class t wins is a polyhedron {x : z_t(x) ≥ z_j(x) for all j},
     * and the smallest L2 perturbation that reaches it from x inside the box [0, 1] is the projection of x onto
     * the intersection of those half-spaces and the box (computed here in float64 by Dykstra's algorithm).
     * C&W's perturbation can never be smaller (up to float slack) and must be within a few percent of it;
     * untargeted, the smallest over all other classes' regions.
     */
    @Test
    void findsTheSmallestPerturbationOfALinearModel() {
        Engine.getInstance().setRandomSeed(3);
        ImageDataset data = Synthetic.dataset(12, 5);
        int n = data.imageSize();
        int b = data.size();
        try (FoilModel model = FoilModel.create(Architecture.SOFTMAX, data.imageShape(), 10, List.of());
                NDManager m = NDManager.newBaseManager()) {
            DeepFoolTest.Linear lin = DeepFoolTest.Linear.of(model);
            NDArray x = data.images(m, 0, b);
            int[] pred = model.predict(x);
            NDArray y = m.create(Arrays.stream(pred).asLongStream().toArray());
            long[] t = new long[b];
            for (int i = 0; i < b; i++) {
                t[i] = (pred[i] + 1 + i % 9) % 10;
            }
            NDArray targets = m.create(t);
            CarliniWagner cw = new CarliniWagner(0f, 200, 8, 1f, 0.01f);
            Threads.atOneAndTwo(threads -> {
                for (boolean targeted : new boolean[] {true, false}) {
                    AttackResult r = cw.run(model, x, y, targeted ? targets : null);
                    float[] adv = r.adversarial().toFloatArray();
                    for (int i = 0; i < b; i++) {
                        assertTrue(r.success()[i], "C&W reaches its goal on image " + i);
                        double exact = Double.POSITIVE_INFINITY;
                        for (int k = 0; k < 10; k++) {
                            if (targeted ? k == t[i] : k != pred[i]) {
                                exact = Math.min(exact, distanceToRegion(lin, data.pixels(), i * n, n, k));
                            }
                        }
                        double found = r.distortion().l2()[i];
                        String what = (targeted ? "targeted" : "untargeted") + ", " + threads + " thread(s), image "
                                + i + ": C&W " + found + ", exact " + exact;
                        assertTrue(found >= exact - 1e-3, "below the minimum: " + what);
                        assertTrue(found <= 1.04 * exact + 1e-3, "not minimal: " + what);
                        for (int p = 0; p < n; p++) {
                            assertTrue(adv[i * n + p] >= 0f && adv[i * n + p] <= 1f);
                        }
                        double[] z = lin.logits(adv, i * n);
                        int top = 0;
                        for (int k = 1; k < 10; k++) {
                            top = z[k] > z[top] ? k : top;
                        }
                        assertTrue(targeted ? top == t[i] : top != pred[i], "the float64 logits agree: " + what);
                    }
                }
            });
        }
    }

    /** The L2 distance from x to {x' in [0,1]ⁿ : z_k(x') ≥ z_j(x') for all j}, by Dykstra's projections. */
    static double distanceToRegion(DeepFoolTest.Linear lin, float[] pixels, int off, int n, int k) {
        double[][] w = lin.w();
        double[] bias = lin.b();
        int sets = w.length; // the half-spaces j ≠ k and the box (in slot k)
        double[] x0 = new double[n];
        for (int p = 0; p < n; p++) {
            x0[p] = pixels[off + p];
        }
        double[] x = x0.clone();
        double[][] correction = new double[sets][n];
        for (int cycle = 0; cycle < 20_000; cycle++) {
            double moved = 0;
            for (int j = 0; j < sets; j++) {
                double[] v = new double[n];
                for (int p = 0; p < n; p++) {
                    v[p] = x[p] + correction[j][p];
                }
                double[] proj = v.clone();
                if (j == k) {
                    for (int p = 0; p < n; p++) {
                        proj[p] = Math.min(1, Math.max(0, v[p]));
                    }
                } else {
                    double g = bias[k] - bias[j];
                    double a2 = 0;
                    for (int p = 0; p < n; p++) {
                        double a = w[k][p] - w[j][p];
                        g += a * v[p];
                        a2 += a * a;
                    }
                    if (g < 0) {
                        for (int p = 0; p < n; p++) {
                            proj[p] = v[p] - g / a2 * (w[k][p] - w[j][p]);
                        }
                    }
                }
                for (int p = 0; p < n; p++) {
                    correction[j][p] = v[p] - proj[p];
                    moved += Math.abs(proj[p] - x[p]);
                    x[p] = proj[p];
                }
            }
            if (cycle > 10 && moved < 1e-13) {
                break;
            }
        }
        double d = 0;
        for (int p = 0; p < n; p++) {
            d += (x[p] - x0[p]) * (x[p] - x0[p]);
        }
        return Math.sqrt(d);
    }

    @Test
    void matchesDeepFoolAndReachesTargetsOnATrainedNetwork() {
        Engine.getInstance().setRandomSeed(1);
        ImageDataset data = Synthetic.dataset(400, 3);
        try (FoilModel model = FoilModel.create(Architecture.MLP, data.imageShape(), 10, List.of())) {
            ClassifierTrainer.train(model, data, new TrainOptions(10, 50, 1e-2f, 0f, 1));
            int before = model.djlModel().getNDManager().getManagedArrays().size();
            CarliniWagner cw = CarliniWagner.defaults();
            AttackRun.Outcome c = AttackRun.run(cw, model, data.head(40), Targeting.untargeted(), 20, 0, true);
            AttackRun.Outcome d = AttackRun.run(DeepFool.of(Norm.L2), model, data.head(40), Targeting.untargeted(),
                    20, 0, true);
            assertTrue(c.successRate() >= 0.99, "C&W success " + c.successRate());
            double cwMedian = minimal(c).medianL2();
            double dfMedian = minimal(d).medianL2();
            // On this small ReLU network, nearly linear around its images, DeepFool's projections are almost
            // exact and C&W converges to within a few percent of them (0.474 vs 0.451 here, 0.468 at 1000
            // steps); on the Fashion-MNIST cnn C&W's median is 15% below DeepFool's (the note). Wrong C&W
            // (a sign, the margin, the box) lands far from DeepFool; a DeepFool taking the farthest boundary far above.
            assertTrue(cwMedian <= 1.06 * dfMedian, "C&W's median L2 " + cwMedian + " vs DeepFool's " + dfMedian);
            assertTrue(cwMedian > 0.8 * dfMedian, "and not absurdly below it: " + cwMedian + " vs " + dfMedian);
            for (float v : c.adversarial()) {
                assertTrue(v >= 0f && v <= 1f, "pixel out of [0,1]: " + v);
            }
            CarliniWagner quick = new CarliniWagner(0f, 100, 4, 1f, CarliniWagner.DEFAULT_LEARNING_RATE);
            AttackRun.Outcome targeted = AttackRun.run(quick, model, data.head(20), Targeting.random(4), 20, 0, false);
            assertEquals(1.0, targeted.successRate(), 1e-9, "targeted C&W reaches every target");
            for (int i = 0; i < targeted.n(); i++) {
                assertEquals(targeted.targets()[i], targeted.adversarialPredictions()[i]);
            }
            AttackRun.Outcome confident = AttackRun.run(new CarliniWagner(5f, 100, 4, 1f,
                    CarliniWagner.DEFAULT_LEARNING_RATE), model, data.head(20), Targeting.untargeted(), 20, 0, false);
            assertTrue(minimal(confident).medianL2() > minimal(c).medianL2() * 1.2,
                    "a confidence of 5 costs a larger perturbation");
            assertEquals(before, model.djlModel().getNDManager().getManagedArrays().size());
        }
    }

    private static MinimalPerturbations minimal(AttackRun.Outcome o) {
        boolean[] correct = new boolean[o.n()];
        for (int i = 0; i < o.n(); i++) {
            correct[i] = o.cleanPredictions()[i] == o.labels()[i];
        }
        return MinimalPerturbations.of("l2", correct, o.success(), o.l2(), o.linf());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(FoilException.class, () -> new CarliniWagner(-1f, 100, 5, 1f, 0.01f));
        assertThrows(FoilException.class, () -> new CarliniWagner(Float.NaN, 100, 5, 1f, 0.01f));
        assertThrows(FoilException.class, () -> new CarliniWagner(0f, 0, 5, 1f, 0.01f));
        assertThrows(FoilException.class, () -> new CarliniWagner(0f, 100, 0, 1f, 0.01f));
        assertThrows(FoilException.class, () -> new CarliniWagner(0f, 100, 5, 0f, 0.01f));
        assertThrows(FoilException.class, () -> new CarliniWagner(0f, 100, 5, 1f, -0.01f));
    }
}
