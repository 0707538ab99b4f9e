package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;

/**
 * Autograd recording on this thread, and one backward pass: what DJL's {@code GradientCollector} does for the
 * PyTorch engine, without its JVM-wide flag. DJL allows one collector open in the whole JVM at a time, while
 * PyTorch's grad mode is a per-thread setting; threads that compute input gradients at once (Spark runs an
 * executor's tasks as threads) each open their own scope. Closing restores the thread's grad mode as it was.
 * Training loops that step optimisers keep DJL's collector.
 */
public final class GradientScope implements AutoCloseable {
    private final boolean before;

    private GradientScope() {
        before = JniUtils.isGradMode();
        JniUtils.setGradMode(true);
    }

    /** Starts recording on the calling thread. */
    public static GradientScope open() {
        return new GradientScope();
    }

    /** Backpropagates {@code target} with an upstream gradient of ones, as {@code GradientCollector.backward}. */
    public void backward(NDArray target) {
        try (NDArray ones = target.getManager().ones(target.getShape(), target.getDataType())
                .toDevice(target.getDevice(), false)) {
            JniUtils.backward((PtNDArray) target, (PtNDArray) ones, false, false);
        }
    }

    @Override
    public void close() {
        JniUtils.setGradMode(before);
    }
}
