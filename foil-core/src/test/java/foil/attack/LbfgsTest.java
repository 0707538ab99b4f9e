package foil.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import foil.optim.BoxLbfgs;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.testing.Synthetic;
import java.util.List;
import org.junit.jupiter.api.Test;

class LbfgsTest {

    /** min Σ w_p (z_p - a_p)² over [0,1]ⁿ is solved by clip(a): the box must bind exactly there. */
    @Test
    void boxSolverFindsTheClippedMinimumOfSeparableQuadratics() {
        float[][] a = {{-0.5f, 0.3f, 1.7f, 0.9f}, {2f, -1f, 0.5f, 0.25f}};
        float[] w = {1f, 10f, 0.5f, 3f};
        BoxLbfgs solver = new BoxLbfgs(0f, 1f, 5, 100);
        float[][] start = {{0.5f, 0.5f, 0.5f, 0.5f}, {0.1f, 0.9f, 0.1f, 0.9f}};
        float[][] z = solver.minimize(start, (which, points, values, grads) -> {
            for (int j = 0; j < which.length; j++) {
                float[] g = new float[4];
                double f = 0;
                for (int p = 0; p < 4; p++) {
                    double d = points[j][p] - a[which[j]][p];
                    f += w[p] * d * d;
                    g[p] = (float) (2 * w[p] * d);
                }
                values[j] = f;
                grads[j] = g;
            }
        });
        assertArrayEquals(new float[] {0f, 0.3f, 1f, 0.9f}, z[0], 1e-4f);
        assertArrayEquals(new float[] {1f, 0f, 0.5f, 0.25f}, z[1], 1e-4f);
    }

    @Test
    void reachesItsTargetWithSmallPerturbationsInsideTheBox() {
        Engine.getInstance().setRandomSeed(2);
        ImageDataset data = Synthetic.dataset(400, 4);
        try (FoilModel model = FoilModel.create(Architecture.SOFTMAX, data.imageShape(), 10, List.of())) {
            ClassifierTrainer.train(model, data, new TrainOptions(10, 50, 1e-2f, 0f, 2));
            AttackRun.Outcome o = AttackRun.run(new Lbfgs(30, 6, 1f, 10), model, data.head(30), Targeting.random(5),
                    30, 0, true);
            assertTrue(o.successRate() >= 0.95, "L-BFGS success " + o.successRate());
            for (float v : o.adversarial()) {
                assertTrue(v >= 0f && v <= 1f);
            }
            double meanRms = (double) o.metrics().get("mean_rms");
            assertTrue(meanRms > 0 && meanRms < 0.2, "mean RMS " + meanRms);
            // minimal: FGSM at the L-inf size L-BFGS needed on average rarely does better in L2
            AttackRun.Outcome pgd = AttackRun.run(Pgd.of(Norm.L2, (float) ((double) o.metrics().get("mean_l2") * 0.5),
                    40), model, data.head(30), Targeting.random(5), 30, 0, false);
            assertTrue(pgd.successRate() < o.successRate(),
                    "half L-BFGS's L2 budget should not suffice as often: " + pgd.successRate());
            for (int i = 0; i < o.n(); i++) {
                assertEquals(o.success()[i], o.adversarialPredictions()[i] == o.targets()[i]);
            }
        }
    }
}
