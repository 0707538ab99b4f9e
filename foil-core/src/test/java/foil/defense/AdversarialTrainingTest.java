package foil.defense;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.attack.AttackRun;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Targeting;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.testing.Synthetic;
import java.util.List;
import org.junit.jupiter.api.Test;

class AdversarialTrainingTest {
    static final float EPS = 0.06f;

    @Test
    void trainingAttacksStayInTheirBallAndTheBox() {
        ImageDataset data = Synthetic.dataset(64, 2);
        Engine.getInstance().setRandomSeed(4);
        try (FoilModel m = FoilModel.create(Architecture.MLP, data.imageShape(), 10, List.of());
                NDManager nd = NDManager.newBaseManager()) {
            for (AdversarialTraining.Method method : AdversarialTraining.Method.values()) {
                AdversarialTraining adv = AdversarialTraining.of(method, EPS, null, null, null);
                NDArray x = data.images(nd, 0, 64);
                float[] a = adv.perturb(m, x, data.labels(nd, 0, 64)).toFloatArray();
                float[] o = x.toFloatArray();
                for (int i = 0; i < a.length; i++) {
                    assertTrue(a[i] >= 0f && a[i] <= 1f, method + " leaves [0, 1]");
                    assertTrue(Math.abs(a[i] - o[i]) <= EPS + 1e-6f, method + " leaves the ball: " + (a[i] - o[i]));
                }
            }
        }
    }

    @Test
    void fastFgsmAttacksInTrainingModeAsWongEtAlDoAndPgdInInferenceMode() {
        // under model.train(), the attack's forward pass normalises by the batch and moves batch norm's running
        // statistics; in inference mode it leaves them alone
        ImageDataset data = Synthetic.dataset(32, 3, 28);
        Engine.getInstance().setRandomSeed(6);
        try (FoilModel m = FoilModel.create(Architecture.CNN, data.imageShape(), 10, List.of());
                NDManager nd = NDManager.newBaseManager()) {
            ai.djl.nn.Block bn = m.block().getChildren().get(1).getValue();
            float[] start = bn.getParameters().get("runningMean").getArray().toFloatArray();
            NDArray x = data.images(nd, 0, 32);
            NDArray y = data.labels(nd, 0, 32);
            AdversarialTraining.of(AdversarialTraining.Method.PGD, EPS, null, null, null).perturb(m, x, y);
            AdversarialTraining.of(AdversarialTraining.Method.TRADES, EPS, 2, null, null).perturb(m, x, y);
            assertArrayEquals(start, bn.getParameters().get("runningMean").getArray().toFloatArray(),
                    "PGD and TRADES attack in inference mode");
            AdversarialTraining.of(AdversarialTraining.Method.FGSM_FAST, EPS, null, null, null).perturb(m, x, y);
            float[] after = bn.getParameters().get("runningMean").getArray().toFloatArray();
            assertFalse(java.util.Arrays.equals(start, after), "fast FGSM's attack ran batch norm in training mode");
            try (NDManager scope = nd.newSubManager()) {
                NDArray batch = data.images(scope, 0, 32);
                float[] train = m.inTrainingMode().differentiableLogits(batch).toFloatArray();
                float[] inference = m.logits(batch).toFloatArray();
                assertFalse(java.util.Arrays.equals(train, inference), "the view normalises by the batch");
                assertArrayEquals(inference, m.inTrainingMode().logits(batch).toFloatArray(), 1e-6f,
                        "its inference logits are the model's");
            }
        }
    }

    private static double robust(AdversarialTraining adv, ImageDataset train, ImageDataset test) {
        Engine.getInstance().setRandomSeed(5);
        try (FoilModel m = FoilModel.create(Architecture.MLP, train.imageShape(), 10, List.of())) {
            ClassifierTrainer.train(m, train, new TrainOptions(10, 32, 1e-2f, 0f, 5), adv);
            AttackRun.Outcome o = AttackRun.run(Pgd.of(Norm.LINF, EPS, 20), m, test, Targeting.untargeted(), 100, 0,
                    false);
            System.out.printf("adv %s: clean %.3f robust %.3f%n", adv == null ? "none" : adv.method(), o.cleanAccuracy(), o.robustAccuracy());
            // chance is 0.1; at this eps the synthetic classes overlap, so robust training costs clean accuracy
            // (0.475 to 0.55 by the random start's draws)
            assertTrue(o.cleanAccuracy() > 0.4, "still learns the task: " + o.cleanAccuracy());
            return o.robustAccuracy();
        }
    }

    @Test
    void pgdAndTradesTrainingMakeTheModelRobust() {
        ImageDataset train = Synthetic.dataset(400, 6);
        ImageDataset test = Synthetic.dataset(200, 8);
        double standard = robust(null, train, test);
        double pgd = robust(AdversarialTraining.of(AdversarialTraining.Method.PGD, EPS, null, null, null), train, test);
        double trades = robust(AdversarialTraining.of(AdversarialTraining.Method.TRADES, EPS, null, null, null), train,
                test);
        assertTrue(pgd > standard + 0.2, "PGD training: robust " + pgd + " vs standard " + standard);
        assertTrue(trades > standard + 0.2, "TRADES: robust " + trades + " vs standard " + standard);
    }
}
