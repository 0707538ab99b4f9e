package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.model.Classifier;

/**
 * Per-example softmax cross-entropy of a classifier at a point, and its gradient with respect to the
 * point (of the sum over the batch, so each example gets the gradient of its own loss). The loss, the
 * logits and the gradient belong to the manager of {@code point}.
 */
public record CrossEntropyGradient(NDArray loss, NDArray logits, NDArray gradient) {

    public static CrossEntropyGradient at(Classifier classifier, NDArray point, NDArray classes) {
        InputGradient g = InputGradient.of(classifier, point, logits -> perExample(logits, classes));
        return new CrossEntropyGradient(g.loss(), g.logits(), g.gradient());
    }

    /** -log softmax(logits)[class], per row. */
    public static NDArray perExample(NDArray logits, NDArray classes) {
        NDArray oneHot = classes.oneHot((int) logits.getShape().get(1));
        return logits.logSoftmax(1).mul(oneHot).sum(new int[] {1}).neg();
    }

    /**
     * The gradient an attack ascends: of the loss on the true label when untargeted, of minus the loss on
     * the target when targeted.
     */
    public static NDArray ascent(Classifier classifier, NDArray point, NDArray labels, NDArray targets) {
        CrossEntropyGradient g = at(classifier, point, targets == null ? labels : targets);
        g.loss().close();
        g.logits().close();
        return targets == null ? g.gradient() : g.gradient().negi();
    }
}
