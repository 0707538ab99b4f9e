package foil.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.FoilException;
import foil.data.ImageDataset;
import foil.model.FoilModel;
import foil.testing.AttackChecks;
import foil.testing.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PgdTest {
    static FoilModel model;
    static ImageDataset data;

    @BeforeAll
    static void train() {
        data = Synthetic.dataset(400, 3);
        model = AttackChecks.trainedMlp(data);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    @Test
    void neverLeavesTheBallOrTheBox() {
        for (Norm norm : Norm.values()) {
            float eps = norm == Norm.LINF ? 0.1f : 1.0f;
            Pgd pgd = new Pgd(norm, eps, eps / 4, 10, true, 2);
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = data.images(m, 0, 64);
                AttackChecks.assertWithinBudget(norm, eps, data, pgd.run(model, x, data.labels(m, 0, 64), null), 64);
            }
        }
    }

    @Test
    void isStrongerThanFgsmAndReachesTargets() {
        AttackRun.Outcome clean = AttackRun.run(new Fgsm(0f), model, data.head(100), Targeting.untargeted(), 50, 0,
                false);
        assertTrue(clean.cleanAccuracy() > 0.9, "the model learned the synthetic task: " + clean.cleanAccuracy());
        assertEquals(clean.cleanAccuracy(), clean.robustAccuracy(), 1e-9, "eps 0 changes nothing");
        AttackRun.Outcome fgsm = AttackRun.run(new Fgsm(0.15f), model, data.head(100), Targeting.untargeted(), 50, 0,
                false);
        AttackRun.Outcome pgd = AttackRun.run(Pgd.of(Norm.LINF, 0.15f, 20), model, data.head(100),
                Targeting.untargeted(), 50, 0, false);
        assertTrue(pgd.robustAccuracy() <= fgsm.robustAccuracy(), pgd.robustAccuracy() + " vs " + fgsm.robustAccuracy());
        assertTrue(pgd.robustAccuracy() < clean.cleanAccuracy() - 0.3, "PGD hurts: " + pgd.robustAccuracy());
        AttackRun.Outcome targeted = AttackRun.run(Pgd.of(Norm.LINF, 0.3f, 30), model, data.head(100),
                Targeting.fixed(4), 50, 0, false);
        assertEquals(90, targeted.n(), "examples already labelled 4 are left out");
        for (int i = 0; i < targeted.n(); i++) {
            assertEquals(targeted.success()[i], targeted.adversarialPredictions()[i] == 4);
        }
        assertTrue(targeted.successRate() > 0.8, "targeted success " + targeted.successRate());
    }

    @Test
    void anAttackRunsResultsDoNotDependOnTheBatchSize() {
        Pgd pgd = new Pgd(Norm.L2, 1f, 0.25f, 5, true, 1);
        AttackRun.Outcome a = AttackRun.run(pgd, model, data.head(40), Targeting.untargeted(), 40, 3, false);
        AttackRun.Outcome b = AttackRun.run(pgd, model, data.head(40), Targeting.untargeted(), 7, 3, false);
        assertArrayEquals(a.adversarialPredictions(), b.adversarialPredictions());
        assertArrayEquals(a.l2(), b.l2(), 1e-4f, "the same random start per image");
    }

    @Test
    void attacksLeaveNoArraysBehind() {
        int before = model.djlModel().getNDManager().getManagedArrays().size();
        AttackRun.run(new Pgd(Norm.L2, 1f, 0.25f, 5, true, 2), model, data.head(120), Targeting.untargeted(), 50, 0,
                false);
        AttackRun.run(new Lbfgs(5, 2, 1f, 5), model, data.head(20), Targeting.random(1), 10, 0, false);
        assertEquals(before, model.djlModel().getNDManager().getManagedArrays().size());
    }

    @Test
    void rejectsBadBudgets() {
        assertThrows(FoilException.class, () -> Pgd.of(Norm.LINF, -0.1f, 10));
        assertThrows(FoilException.class, () -> Pgd.of(Norm.LINF, 3f, 10));
        assertThrows(FoilException.class, () -> new Fgsm(Float.NaN));
        assertThrows(FoilException.class, () -> Pgd.of(Norm.L2, 1f, 0));
    }
}
