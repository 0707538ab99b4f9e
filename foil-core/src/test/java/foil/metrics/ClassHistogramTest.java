package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.model.Classifier;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The histogram of a judge's classes, its coverage (1% or more) and its entropy over log(classes). */
class ClassHistogramTest {
    /** Four 1×1 "images" of 4 channels whose class is the brightest channel. */
    private static final Classifier BRIGHTEST = new Classifier() {
        @Override
        public Shape inputShape() {
            return new Shape(4, 1, 1);
        }

        @Override
        public int numClasses() {
            return 4;
        }

        @Override
        public NDArray logits(NDArray x) {
            return x.reshape(x.getShape().get(0), 4);
        }

        @Override
        public NDArray differentiableLogits(NDArray x) {
            return logits(x);
        }

        @Override
        public String describe() {
            return "brightest channel";
        }

        @Override
        public void close() {}
    };

    @Test
    void countsCoverageAndEntropy() {
        ClassHistogram h = new ClassHistogram(4);
        h.add(BRIGHTEST, new float[] {1, 0, 0, 0, 0, 1, 0, 0}, 2); // classes 0 and 1
        h.add(BRIGHTEST, new float[] {0, 0.2f, 0, 0}, 1); // class 1
        Map<String, Object> m = h.describe("test judge");
        assertArrayEquals(new int[] {1, 2, 0, 0}, (int[]) m.get("class_histogram"));
        assertEquals(2, m.get("classes_covered"));
        double want = -(Math.log(1 / 3.0) / 3 + 2 * Math.log(2 / 3.0) / 3) / Math.log(4);
        assertEquals(want, (Double) m.get("class_entropy"), 1e-12);
        assertEquals(want, h.entropy(), 1e-12);
        assertEquals("test judge", m.get("judge"));
        assertThrows(FoilException.class, () -> h.add(BRIGHTEST, new float[5], 1));
    }
}
