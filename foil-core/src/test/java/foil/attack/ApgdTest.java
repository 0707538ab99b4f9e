package foil.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.FoilException;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.FoilModel;
import foil.model.TransformedLogits;
import foil.testing.AttackChecks;
import foil.testing.Synthetic;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ApgdTest {
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
    void dlrEqualsItsDefinition() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray z = m.create(new float[] {3, 1, 2, 0, 0, 5, 1, 2}, new ai.djl.ndarray.types.Shape(2, 4));
            // row 0 sorted: 3 (0), 2 (2), 1 (1), 0 (3); row 1: 5 (1), 2 (3), 1 (2), 0 (0)
            float[] u = Dlr.untargeted(z, m.create(new long[] {0, 3})).toFloatArray();
            assertEquals(-(3 - 2) / (3f - 1f), u[0], 1e-6f, "label on top: margin to the runner-up");
            assertEquals(-(2 - 5) / (5f - 1f), u[1], 1e-6f, "label not on top: margin to the top");
            float[] t = Dlr.targeted(z, m.create(new long[] {0, 3}), m.create(new long[] {3, 2})).toFloatArray();
            assertEquals(-(3 - 0) / (3 - 0.5f * (1 + 0)), t[0], 1e-6f);
            assertEquals(-(2 - 1) / (5 - 0.5f * (1 + 0)), t[1], 1e-6f);
            float[] scaled = Dlr.untargeted(z.mul(1000f).add(7f), m.create(new long[] {0, 3})).toFloatArray();
            assertArrayEquals(u, scaled, 1e-5f, "invariant to scaling and shifting the logits");
        }
    }

    @Test
    void neverLeavesTheBallOrTheBox() {
        for (Norm norm : Norm.values()) {
            float eps = norm == Norm.LINF ? 0.1f : 1.0f;
            for (Attack attack : List.<Attack>of(new Apgd(norm, eps, 10, Apgd.Loss.CE, 2, 0.75f, 0.75f),
                    new ApgdTargeted(norm, eps, 5, 3, 1))) {
                try (NDManager m = NDManager.newBaseManager()) {
                    AttackChecks.assertWithinBudget(norm, eps, data, attack.run(model, data.images(m, 0, 64),
                            data.labels(m, 0, 64), null), 64);
                }
            }
        }
    }

    @Test
    void isAtLeastAsStrongAsPgd() {
        float eps = 0.1f;
        ImageDataset head = data.head(120);
        AttackRun.Outcome pgd = AttackRun.run(Pgd.of(Norm.LINF, eps, 20), model, head, Targeting.untargeted(), 60, 0,
                false);
        AttackRun.Outcome ce = AttackRun.run(new Apgd(Norm.LINF, eps, 20, Apgd.Loss.CE, 1, 0.75f, 0.75f), model,
                head, Targeting.untargeted(), 60, 0, false);
        AttackRun.Outcome t = AttackRun.run(new ApgdTargeted(Norm.LINF, eps, 20, 3, 1), model, head,
                Targeting.untargeted(), 60, 0, false);
        assertTrue(pgd.robustAccuracy() < pgd.cleanAccuracy() - 0.2, "the budget matters: " + pgd.robustAccuracy());
        assertTrue(ce.robustAccuracy() <= pgd.robustAccuracy() + 0.02, ce.robustAccuracy() + " vs PGD "
                + pgd.robustAccuracy());
        assertTrue(t.robustAccuracy() <= pgd.robustAccuracy() + 0.02, t.robustAccuracy() + " vs PGD "
                + pgd.robustAccuracy());
        AttackRun.Outcome targeted = AttackRun.run(new Apgd(Norm.LINF, 0.3f, 30, Apgd.Loss.CE, 1, 0.75f, 0.75f),
                model, head, Targeting.fixed(4), 60, 0, false);
        assertTrue(targeted.successRate() > 0.8, "targeted success " + targeted.successRate());
    }

    /**
     * Logits times 1000 saturate the softmax: cross-entropy gradients vanish and APGD-CE is fooled into
     * reporting robustness, while the DLR loss does not change at all, so APGD-DLR finds the same examples.
     */
    @Test
    void dlrSeesThroughScaledLogits() {
        ImageDataset head = data.head(100);
        float eps = 0.15f;
        Classifier masked = TransformedLogits.scaled(model, 1000f);
        Apgd dlr = new Apgd(Norm.LINF, eps, 20, Apgd.Loss.DLR, 1, 0.75f, 0.75f);
        Apgd ce = new Apgd(Norm.LINF, eps, 20, Apgd.Loss.CE, 1, 0.75f, 0.75f);
        double plain = robust(dlr, model, head);
        double maskedDlr = robust(dlr, masked, head);
        double maskedCe = robust(ce, masked, head);
        double plainCe = robust(ce, model, head);
        assertEquals(plain, maskedDlr, 0.03, "DLR is blind to the scale");
        assertTrue(maskedCe > plainCe + 0.2, "the mask fools APGD-CE: " + maskedCe + " against " + plainCe);
    }

    private static double robust(Attack attack, Classifier c, ImageDataset d) {
        try (NDManager m = NDManager.newBaseManager()) {
            int[] idx = new int[d.size()];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = i;
            }
            NDArray x = d.images(m, 0, d.size());
            AttackResult r = attack.run(c, x, d.labels(m, 0, d.size()), null, ImageRandom.of(5, idx));
            int k = 0;
            for (int i = 0; i < r.size(); i++) {
                k += r.predictions()[i] == d.labels()[i] ? 1 : 0;
            }
            return k / (double) r.size();
        }
    }

    @Test
    void anImagesResultDoesNotDependOnItsBatch() {
        AttackChecks.assertBatchIndependent(new Apgd(Norm.L2, 1f, 10, Apgd.Loss.CE, 1, 0.75f, 0.75f), model, data, 9);
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(FoilException.class, () -> Apgd.of(Norm.LINF, -0.1f, Apgd.Loss.CE));
        assertThrows(FoilException.class, () -> new Apgd(Norm.LINF, 0.1f, 0, Apgd.Loss.CE, 1, 0.75f, 0.75f));
        assertThrows(FoilException.class, () -> new ApgdTargeted(Norm.LINF, 0.1f, 10, 0, 1));
        try (NDManager m = NDManager.newBaseManager()) {
            assertThrows(FoilException.class, () -> ApgdTargeted.of(Norm.LINF, 0.1f).run(model, data.images(m, 0, 2),
                    data.labels(m, 0, 2), m.create(new long[] {1, 1})));
        }
    }
}
