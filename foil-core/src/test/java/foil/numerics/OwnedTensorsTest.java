package foil.numerics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import foil.Foil;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * Arrays made from Java data must own their memory (docs/notes/djl-freed-scalars.md). With DJL's own manager, the
 * scalar of {@code x.mul(0.5f)} lives in a Java buffer the array closes at once; a garbage collection between the
 * forward and the backward pass frees it, and the gradient is whatever reuses that memory next: here the junk 7.0
 * filled into fresh buffers, in every trial of every operation below (measured before the fix).
 */
class OwnedTensorsTest {
    /** Collects garbage, lets the cleaner free what it found, and reuses freed native memory for junk 7.0s. */
    private static List<ByteBuffer> collectAndReuse() throws InterruptedException {
        System.gc();
        Thread.sleep(20);
        List<ByteBuffer> junk = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            ByteBuffer b = ByteBuffer.allocateDirect(16).order(ByteOrder.nativeOrder());
            for (int k = 0; k < 4; k++) {
                b.putFloat(4 * k, 7f);
            }
            junk.add(b);
        }
        return junk;
    }

    private static void gradientSurvives(String name, UnaryOperator<NDArray> op, float x0, float expected)
            throws InterruptedException {
        for (int trial = 0; trial < 5; trial++) {
            try (NDManager m = NDManager.newBaseManager(); GradientCollector gc = Foil.engine().newGradientCollector()) {
                NDArray x = m.full(new Shape(4), x0);
                x.setRequiresGradient(true);
                NDArray y = op.apply(x).sum();
                List<ByteBuffer> junk = collectAndReuse();
                gc.backward(y);
                float[] g = x.getGradient().toFloatArray();
                for (float v : g) {
                    assertEquals(expected, v, 1e-6f, name + "'s gradient after a garbage collection, trial " + trial
                            + " (" + junk.size() + " junk buffers)");
                }
            }
        }
    }

    @Test
    void scalarOperandsSurviveAGarbageCollectionBeforeTheBackwardPass() throws InterruptedException {
        Foil.engine();
        assertTrue(OwnedTensors.active(), "Foil's PtNDManager must come before DJL's on the class path");
        gradientSurvives("x * 0.5", x -> x.mul(0.5f), 2f, 0.5f);
        gradientSurvives("x / 4", x -> x.div(4f), 2f, 0.25f);
        gradientSurvives("x ^ 3", x -> x.pow(3f), 2f, 12f); // 3 x^2
        gradientSurvives("max(x, 1)", x -> x.maximum(1f), 2f, 1f);
    }

    @Test
    void aViewOutlivesTheArrayItWasMadeFrom() throws InterruptedException {
        Foil.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            float[] data = {1, 2, 3, 4, 5, 6};
            NDArray view;
            try (NDManager inner = m.newSubManager()) {
                NDArray made = inner.create(data, new Shape(2, 3));
                view = made.reshape(3, 2);
                view.attach(m);
            }
            List<ByteBuffer> junk = collectAndReuse();
            assertArrayEquals(data, view.toFloatArray(), "a reshape of a closed array (" + junk.size() + " junk)");
        }
    }
}
