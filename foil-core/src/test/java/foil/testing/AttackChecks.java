package foil.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import foil.attack.Attack;
import foil.attack.AttackResult;
import foil.attack.ImageRandom;
import foil.attack.Norm;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.Classifier;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import java.util.List;

/** What attack tests share: a small MLP trained on synthetic data, and the check of an attack's budget. */
public final class AttackChecks {
    private AttackChecks() {}

    /** An MLP trained for ten epochs on {@code data} (seeded, so the same in every test class). */
    public static FoilModel trainedMlp(ImageDataset data) {
        Engine.getInstance().setRandomSeed(1);
        FoilModel model = FoilModel.create(Architecture.MLP, data.imageShape(), 10, List.of());
        ClassifierTrainer.train(model, data, new TrainOptions(10, 50, 1e-2f, 0f, 1));
        return model;
    }

    /**
     * Asserts that every adversarial image of {@code r} (the first {@code count} images of {@code data}) lies
     * in [0, 1] and within {@code eps} of its image in {@code norm}, and that its reported distortion is right.
     */
    public static void assertWithinBudget(Norm norm, float eps, ImageDataset data, AttackResult r, int count) {
        int n = data.imageSize();
        float[] a = r.adversarial().toFloatArray();
        for (int i = 0; i < count; i++) {
            double sq = 0;
            float max = 0;
            for (int p = 0; p < n; p++) {
                float v = a[i * n + p];
                float d = v - data.pixels()[i * n + p];
                assertTrue(v >= 0f && v <= 1f, "pixel out of [0,1]: " + v);
                if (norm == Norm.LINF) {
                    assertTrue(Math.abs(d) <= eps + 1e-6f, "outside the L-inf ball: " + d);
                }
                sq += d * d;
                max = Math.max(max, Math.abs(d));
            }
            if (norm == Norm.L2) {
                assertTrue(Math.sqrt(sq) <= eps + 1e-4, "outside the L2 ball: " + Math.sqrt(sq));
            }
            assertEquals(norm == Norm.LINF ? r.distortion().linf()[i] : r.distortion().l2()[i],
                    norm == Norm.LINF ? max : (float) Math.sqrt(sq), 1e-4f);
        }
    }

    /**
     * Asserts that {@code attack} makes the same adversarial images of images 16 to 31 of {@code data} in a
     * batch of their own as in the batch of images 0 to 31, each image drawing from its own stream.
     */
    public static void assertBatchIndependent(Attack attack, Classifier model, ImageDataset data, long seed) {
        int n = data.imageSize();
        try (NDManager m = NDManager.newBaseManager()) {
            int[] all = new int[32];
            for (int i = 0; i < 32; i++) {
                all[i] = i;
            }
            float[] whole = attack.run(model, data.images(m, 0, 32), data.labels(m, 0, 32), null,
                    ImageRandom.of(seed, all)).adversarial().toFloatArray();
            int[] second = java.util.Arrays.copyOfRange(all, 16, 32);
            float[] half = attack.run(model, data.images(m, 16, 32), data.labels(m, 16, 32), null,
                    ImageRandom.of(seed, second)).adversarial().toFloatArray();
            float[] expected = java.util.Arrays.copyOfRange(whole, 16 * n, 32 * n);
            assertArrayEquals(expected, half, 1e-4f);
        }
    }
}
