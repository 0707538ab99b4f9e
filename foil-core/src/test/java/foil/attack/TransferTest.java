package foil.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.Classifier;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TransferTest {
    @TempDir
    Path tmp;

    @Test
    void theMatrixHasWhiteBoxOnTheDiagonalAndEqualModelsTransferCompletely() throws Exception {
        ImageDataset train = Synthetic.dataset(300, 1);
        ImageDataset test = Synthetic.dataset(120, 2);
        Engine.getInstance().setRandomSeed(3);
        try (FoilModel a = FoilModel.create(Architecture.MLP, train.imageShape(), 10, List.of());
                FoilModel other = FoilModel.create(Architecture.SOFTMAX, train.imageShape(), 10, List.of())) {
            ClassifierTrainer.train(a, train, new TrainOptions(4, 32, 1e-2f, 0f, 1), null);
            ClassifierTrainer.train(other, train, new TrainOptions(4, 32, 1e-2f, 0f, 1), null);
            a.save(tmp.resolve("a"));
            try (FoilModel copy = FoilModel.load(tmp.resolve("a"))) {
                List<Classifier> models = List.of(a, copy, other);
                Pgd pgd = Pgd.of(Norm.LINF, 0.1f, 10);
                Transfer.Matrix m = Transfer.run(pgd, Targeting.untargeted(), List.of("a", "copy", "other"), models,
                        test, 50, 0);
                // the copy computes the same function, so a's examples fool it exactly as they fool a
                assertEquals(m.error()[0][0], m.error()[0][1], 1e-9);
                assertEquals(1 - ClassifierTrainer.accuracy(a, test, 50), m.cleanError()[0], 1e-9);
                AttackRun.Outcome o = AttackRun.run(pgd, other, test, Targeting.untargeted(), 50, 0, false);
                assertEquals(1 - o.robustAccuracy(), m.error()[2][2], 1e-9, "the diagonal is the white-box error");
                for (double[] row : m.error()) {
                    for (double e : row) {
                        assertTrue(e >= 0 && e <= 1);
                    }
                }
                assertTrue(m.error()[0][0] > m.cleanError()[0] + 0.3, "white box breaks the model: " + m.error()[0][0]);
                assertTrue(m.csv().lines().count() == 5, m.csv());
            }
        }
        assertTrue(Files.isDirectory(tmp.resolve("a")));
    }

    @Test
    void withAFixedTargetEveryFigureIsOverTheImagesNotOfTheTarget() {
        ImageDataset train = Synthetic.dataset(300, 1);
        ImageDataset test = Synthetic.dataset(120, 2);
        int target = 3;
        Engine.getInstance().setRandomSeed(4);
        try (FoilModel a = FoilModel.create(Architecture.MLP, train.imageShape(), 10, List.of());
                FoilModel b = FoilModel.create(Architecture.SOFTMAX, train.imageShape(), 10, List.of())) {
            ClassifierTrainer.train(a, train, new TrainOptions(2, 32, 1e-2f, 0f, 1), null);
            ClassifierTrainer.train(b, train, new TrainOptions(2, 32, 1e-2f, 0f, 1), null);
            List<Classifier> models = List.of(a, b);
            Pgd pgd = Pgd.of(Norm.L2, 1f, 5);
            Targeting aim = Targeting.fixed(target);
            Transfer.Matrix m = Transfer.run(pgd, aim, List.of("a", "b"), models, test, 50, 0);
            ImageDataset others = test.withLabels("", l -> l != target);
            assertEquals(108, others.size());
            assertEquals(others.size(), m.n(), "n counts the attacked images only");
            assertTrue(m.population().contains("not the target 3"), m.population());
            for (int j = 0; j < 2; j++) {
                assertEquals(1 - ClassifierTrainer.accuracy(models.get(j), others, 50), m.cleanError()[j], 1e-9,
                        "the clean row is over the same images");
                AttackRun.Outcome o = AttackRun.run(pgd, models.get(j), test, aim, 50, 0, false);
                assertEquals(1 - o.robustAccuracy(), m.error()[j][j], 1e-9, "the diagonal is foil attack's figure");
                assertEquals((double) o.metrics().get("mean_l2"), m.meanL2()[j], 1e-6, "mean_l2 as foil attack's");
                for (int i = 0; i < 2; i++) {
                    assertTrue(m.error()[i][j] >= m.cleanError()[j], "an error counts the clean mistakes too");
                }
            }
            assertTrue(m.csv().startsWith("attacked\\classified,a,b,mean_l2_over_successful\n"), m.csv());
            assertEquals(m.population(), m.metrics().get("population"));
        }
    }

    @Test
    void anImageIsWrongWhenEitherItsCleanOrItsAdversarialIsWrong() {
        int[] labels = {0, 1, 2, 3};
        int[] clean = {0, 1, 5, 5};
        int[] adversarial = {0, 4, 2, 5};
        assertEquals(0.75, Transfer.wrongOnEither(labels, clean, adversarial), 1e-12);
        assertEquals(0.5, Transfer.wrongOnEither(labels, clean, clean), 1e-12);
    }
}
