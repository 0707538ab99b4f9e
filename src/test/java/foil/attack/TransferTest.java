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
}
