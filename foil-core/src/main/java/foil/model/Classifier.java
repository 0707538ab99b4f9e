package foil.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * What an attack needs from a model: logits at inference, and logits recorded for autograd so that
 * gradients with respect to the input can be taken. Both behave exactly as at inference (batch norm uses
 * its running statistics, dropout is off). Attacks never know how the model runs.
 */
public interface Classifier extends AutoCloseable {

    /** The shape of one input image, C×H×W, values in [0, 1]. */
    Shape inputShape();

    int numClasses();

    /** Inference logits (B×classes) for a batch B×C×H×W; nothing is recorded for autograd. */
    NDArray logits(NDArray x);

    /**
     * Inference-mode logits recorded for autograd; call inside a {@code GradientScope} with an input
     * that requires a gradient. Model weights get no gradient.
     */
    NDArray differentiableLogits(NDArray x);

    /** The predicted class (arg-max of the inference logits) of each image of a batch B×C×H×W. */
    default int[] predict(NDArray x) {
        return logits(x).argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
    }

    /** Whether {@link #differentiableLogits} works: false for models that give outputs only (ONNX). */
    default boolean hasGradients() {
        return true;
    }

    /** A short description for reports: the architecture or the file. */
    String describe();

    @Override
    void close();
}
