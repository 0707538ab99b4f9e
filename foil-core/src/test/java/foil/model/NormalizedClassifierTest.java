package foil.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.attack.CrossEntropyGradient;
import foil.data.ImageDataset;
import foil.testing.AttackChecks;
import foil.testing.Synthetic;
import org.junit.jupiter.api.Test;

/**
 * A model trained on normalised inputs, wrapped with its mean and std: from pixels it computes what the model
 * computes on the normalised images, and its input gradients (in pixel space) match finite differences.
 */
class NormalizedClassifierTest {
    static final float MEAN = 0.5f;
    static final float STD = 0.1f;

    @Test
    void wrappedModelSeesNormalisedImagesAndGradientsFlow() {
        ImageDataset pixels = Synthetic.dataset(400, 3);
        float[] norm = pixels.pixels().clone();
        for (int i = 0; i < norm.length; i++) {
            norm[i] = (norm[i] - MEAN) / STD;
        }
        ImageDataset normalised = new ImageDataset("normalised", norm, pixels.labels(), 1, pixels.height(),
                pixels.width(), pixels.numClasses());
        FoilModel raw = AttackChecks.trainedMlp(normalised);
        try (Classifier wrapped = new NormalizedClassifier(raw, new float[] {MEAN}, new float[] {STD});
                NDManager m = NDManager.newBaseManager()) {
            int n = 8;
            Shape shape = new Shape(n, 1, pixels.height(), pixels.width());
            NDArray x = pixels.images(m, 0, n);
            float[] want = raw.logits(m.create(java.util.Arrays.copyOf(norm, n * pixels.imageSize()), shape))
                    .toFloatArray();
            float[] got = wrapped.logits(x).toFloatArray();
            for (int i = 0; i < want.length; i++) {
                assertEquals(want[i], got[i], 1e-4f * Math.max(1f, Math.abs(want[i])), "logit " + i);
            }
            int[] clean = wrapped.predict(x);
            int correct = 0;
            for (int i = 0; i < n; i++) {
                correct += clean[i] == pixels.labels()[i] ? 1 : 0;
            }
            assertTrue(correct >= n - 1, "the wrapped model classifies pixel images: " + correct + " of " + n);

            NDArray y = pixels.labels(m, 0, n);
            float[] grad = CrossEntropyGradient.at(wrapped, x, y).gradient().toFloatArray();
            float[] px = x.toFloatArray();
            float h = 1e-3f;
            int per = pixels.imageSize();
            for (int probe = 0; probe < 12; probe++) {
                int i = (probe * 37) % n * per + (probe * 53) % per;
                float[] up = px.clone();
                float[] down = px.clone();
                up[i] += h;
                down[i] -= h;
                double numeric = (loss(wrapped, m, up, shape, y) - loss(wrapped, m, down, shape, y)) / (2 * h);
                assertEquals(numeric, grad[i], 2e-2 * Math.max(1, Math.abs(numeric)), "d loss / d pixel " + i);
            }
        }
    }

    private static double loss(Classifier c, NDManager m, float[] px, Shape shape, NDArray y) {
        return CrossEntropyGradient.perExample(c.logits(m.create(px, shape)), y).toType(DataType.FLOAT64, false)
                .sum().getDouble();
    }

    @Test
    void rejectsBadStatistics() {
        FoilModel raw = FoilModel.create(Architecture.MLP, new Shape(1, 12, 12), 10, java.util.List.of());
        try (raw) {
            assertThrows(FoilException.class, () -> new NormalizedClassifier(raw, new float[] {0.5f}, new float[] {0f}));
            assertThrows(FoilException.class,
                    () -> new NormalizedClassifier(raw, new float[] {0.5f, 0.5f}, new float[] {0.2f}));
            assertThrows(FoilException.class, () -> new NormalizedClassifier(raw, new float[] {Float.NaN},
                    new float[] {0.2f}));
        }
    }
}
