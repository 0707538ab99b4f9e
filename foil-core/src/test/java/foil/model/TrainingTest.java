package foil.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.data.ImageDataset;
import foil.testing.Synthetic;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TrainingTest {
    @TempDir
    Path dir;

    private static float[] trainAndPredict(long seed, ImageDataset data, Path save) {
        Engine.getInstance().setRandomSeed((int) seed);
        try (FoilModel m = FoilModel.create(Architecture.CNN, data.imageShape(), 10, List.of());
                NDManager nd = NDManager.newBaseManager()) {
            ClassifierTrainer.train(m, data, new TrainOptions(1, 40, 1e-3f, 1e-4f, seed));
            if (save != null) {
                m.save(save);
            }
            return m.logits(data.images(nd, 0, 20)).toFloatArray();
        }
    }

    @Test
    void theSameSeedRepeatsTrainingExactlyOnCpu() {
        ImageDataset data = Synthetic.dataset(200, 9);
        float[] a = trainAndPredict(5, data, null);
        float[] b = trainAndPredict(5, data, null);
        float[] c = trainAndPredict(6, data, null);
        assertArrayEquals(a, b, "same seed, same model");
        assertFalse(Arrays.equals(a, c), "another seed, another model");
    }

    @Test
    void aSavedModelLoadsWithTheSameOutputsInEvalMode() {
        ImageDataset data = Synthetic.dataset(200, 9);
        float[] before = trainAndPredict(3, data, dir.resolve("m"));
        try (FoilModel loaded = FoilModel.load(dir.resolve("m")); NDManager nd = NDManager.newBaseManager()) {
            assertEquals("cnn", loaded.info().architecture());
            float[] after = loaded.logits(data.images(nd, 0, 20)).toFloatArray();
            assertArrayEquals(before, after, 1e-5f, "batch-norm statistics and weights survive saving");
            float[] again = loaded.logits(data.images(nd, 0, 20)).toFloatArray();
            assertArrayEquals(after, again, "inference is deterministic: dropout is off");
        }
    }

    /** A loaded model lays its inputs out channels last where that gives the same numbers: logits and gradients. */
    @Test
    void aLoadedModelGivesTheSameLogitsAndGradientsInEitherLayout() {
        ImageDataset data = Synthetic.dataset(200, 9);
        trainAndPredict(3, data, dir.resolve("m"));
        float[][] nchw;
        System.setProperty("foil.channelsLast", "false");
        try (FoilModel plain = FoilModel.load(dir.resolve("m"))) {
            assertFalse(plain.describe().contains("channels last"), plain.describe());
            nchw = logitsAndGradient(plain, data);
        } finally {
            System.clearProperty("foil.channelsLast");
        }
        try (FoilModel loaded = FoilModel.load(dir.resolve("m"))) {
            System.out.println("loaded as " + loaded.describe() + " on route " + foil.numerics.Numerics.status().route());
            float[][] got = logitsAndGradient(loaded, data);
            assertArrayEquals(nchw[0], got[0], 1e-4f, loaded.describe() + " logits");
            assertArrayEquals(nchw[1], got[1], 1e-4f, loaded.describe() + " input gradient");
        }
    }

    private static float[][] logitsAndGradient(FoilModel m, ImageDataset data) {
        try (NDManager nd = NDManager.newBaseManager()) {
            NDArray x = data.images(nd, 0, 20);
            foil.attack.CrossEntropyGradient g = foil.attack.CrossEntropyGradient.at(m, x,
                    nd.create(new long[] {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9}));
            return new float[][] {m.logits(x).toFloatArray(), g.gradient().toFloatArray()};
        }
    }

    @Test
    void trainingLearnsTheSyntheticTask() {
        ImageDataset data = Synthetic.dataset(300, 4);
        Engine.getInstance().setRandomSeed(1);
        try (FoilModel m = FoilModel.create(Architecture.SOFTMAX, data.imageShape(), 10, List.of())) {
            double before = ClassifierTrainer.accuracy(m, data, 100);
            ClassifierTrainer.train(m, data, new TrainOptions(10, 30, 1e-2f, 0f, 1));
            double after = ClassifierTrainer.accuracy(m, Synthetic.dataset(100, 77), 100);
            assertTrue(after > 0.9 && after > before + 0.3, before + " -> " + after);
        }
    }
}
