package foil.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import foil.Foil;
import org.junit.jupiter.api.Test;

/** The batch-sliced convolution gives the unsliced one's outputs and gradients. */
class ConvolutionTest {
    @Test
    void slicingTheBatchKeepsOutputsAndGradients() {
        Foil.engine();
        try (NDManager m = NDManager.newBaseManager()) {
            Foil.seed(3);
            NDArray x = m.randomNormal(new Shape(7, 3, 9, 9));
            NDArray w = m.randomNormal(new Shape(4, 3, 3, 3));
            NDArray b = m.randomNormal(new Shape(4));
            NDArray r = m.randomNormal(new Shape(7, 4, 9, 9));
            float[][] whole = run(x, w, b, r, 0);
            long perImage = 4L * 3 * 9 * 9 * 9;
            for (long slice : new long[] {1, 2 * perImage, 3 * perImage}) { // 7, 4 and 3 slices
                float[][] sliced = run(x, w, b, r, slice);
                assertArrayEquals(whole[0], sliced[0], "output"); // each image's sums are the same
                assertArrayEquals(whole[1], sliced[1], "input gradient");
                for (int k = 2; k < 4; k++) {
                    for (int i = 0; i < whole[k].length; i++) {
                        assertEquals(whole[k][i], sliced[k][i], 1e-4 * Math.max(1, Math.abs(whole[k][i])));
                    }
                }
            }
        }
    }

    /** Output, and the gradients of Σ r·y at x, w and b. */
    private static float[][] run(NDArray x0, NDArray w0, NDArray b0, NDArray r, long sliceBytes) {
        NDArray x = x0.duplicate(); // fresh leaves: gradients accumulate in a leaf across passes
        NDArray w = w0.duplicate();
        NDArray b = b0.duplicate();
        for (NDArray a : new NDArray[] {x, w, b}) {
            a.setRequiresGradient(true);
        }
        float[] y;
        try (GradientCollector gc = Foil.engine().newGradientCollector()) {
            NDArray out = Convolution.conv2d(x, w, b, 1, sliceBytes);
            y = out.toFloatArray();
            gc.backward(out.mul(r).sum());
        }
        return new float[][] {y, x.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
                b.getGradient().toFloatArray()};
    }
}
