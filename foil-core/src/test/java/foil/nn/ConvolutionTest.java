package foil.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import foil.Foil;
import foil.numerics.Backends;
import foil.numerics.ConvolutionCheck;
import foil.numerics.Numerics;
import foil.numerics.OpCheck;
import foil.numerics.Route;
import foil.numerics.SelfCheck;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every route of Foil's convolution gives the float64 reference's outputs and gradients at channel counts oneDNN
 * gets wrong on AVX-512 EPYC CPUs, at one and two threads, with inputs laid out N×C×H×W and channels last (where the
 * padded route checks oneDNN's channels-last kernels shape by shape); the batch-sliced im2col convolution gives the unsliced
 * one's.
 */
class ConvolutionTest {
    @AfterEach
    void restoreTheGuardsRoute() {
        Numerics.reapply();
    }

    @Test
    void everyRouteMatchesTheReferenceAtAwkwardChannelCounts() {
        Numerics.ensure();
        List<ConvolutionCheck> checks = List.of(
                new ConvolutionCheck(3, 8, 7, 7, 4, 3, 1, 1, false),   // filters not a multiple of 16
                new ConvolutionCheck(3, 32, 6, 6, 1, 4, 1, 0, false),  // one filter (DCGAN's last phases)
                new ConvolutionCheck(3, 1, 14, 14, 8, 4, 2, 1, false), // one input channel at stride 2
                new ConvolutionCheck(3, 17, 8, 8, 16, 3, 1, 1, false), // more than 16 inputs, not a multiple
                new ConvolutionCheck(3, 48, 9, 9, 32, 3, 2, 1, false), // 48 inputs at stride 2
                new ConvolutionCheck(3, 65, 4, 4, 64, 3, 1, 1, false)  // the critic's minibatch-stddev channel
        );
        List<OpCheck> both = new java.util.ArrayList<>();
        for (ConvolutionCheck c : checks) { // each shape with N×C×H×W and with channels-last inputs
            both.add(c.with(Convolution::conv2d));
            both.add(c.with((x, w, b, stride, pad) -> Convolution.conv2d(x, w, b, stride, pad, true)));
        }
        // the routes the guard may take here: its own choice, the padded one and im2col (unpadded oneDNN only where
        // the guard found it right)
        java.util.Set<Route> routes = java.util.EnumSet.of(Route.ONEDNN_PADDED, Route.IM2COL,
                Route.of(Numerics.ensure().route()));
        for (Route r : routes) {
            Route.set(r);
            SelfCheck.Report report = SelfCheck.run(both, new int[] {1, 2}, 4);
            assertTrue(report.passed(), r + ": " + report.failedOps());
            assertEquals(r, Route.current(), "a shape failed its first-use check on the padded route");
        }
    }

    @Test
    void slicingTheBatchKeepsOutputsAndGradients() {
        Foil.engine();
        Backends.setOneDnn(false); // the im2col route, which slices
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
            NDArray out = Convolution.sliced(x, w, b, 1, 1, sliceBytes);
            y = out.toFloatArray();
            gc.backward(out.mul(r).sum());
        }
        return new float[][] {y, x.getGradient().toFloatArray(), w.getGradient().toFloatArray(),
                b.getGradient().toFloatArray()};
    }
}
