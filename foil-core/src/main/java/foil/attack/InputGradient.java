package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.model.Classifier;
import foil.nn.GradientScope;
import java.util.function.UnaryOperator;

/**
 * A per-example loss of a classifier's logits at a point, and its gradient with respect to the point (of the
 * sum over the batch, so each example gets the gradient of its own loss). The loss, the logits and the
 * gradient belong to the manager of {@code point} and carry no autograd history.
 */
public record InputGradient(NDArray loss, NDArray logits, NDArray gradient) {

    /** {@code loss} maps logits (B×classes) to one loss per example (B). */
    public static InputGradient of(Classifier classifier, NDArray point, UnaryOperator<NDArray> loss) {
        NDArray in = point.duplicate();
        in.setRequiresGradient(true);
        NDArray value;
        NDArray logits;
        try (GradientScope collector = GradientScope.open()) {
            logits = classifier.differentiableLogits(in);
            value = loss.apply(logits);
            collector.backward(value.sum());
        }
        NDArray gradient = in.getGradient();
        NDArray detachedLoss = value.stopGradient();
        NDArray detachedLogits = logits.stopGradient();
        in.close();
        return new InputGradient(detachedLoss, detachedLogits, gradient);
    }
}
