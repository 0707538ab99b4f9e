package foil.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.UnaryOperator;

/**
 * A classifier whose outputs are another's passed through a function, for both its plain and its
 * differentiable logits. {@link #scaled} multiplies them by a constant: predictions stay the same, but a large
 * factor saturates the softmax in float32, so that the cross-entropy's input gradient is exactly zero on most
 * images: the simplest gradient masking, used to check that an evaluation sees through it.
 */
public final class TransformedLogits implements Classifier {
    private final Classifier inner;
    private final UnaryOperator<NDArray> f;
    private final String description;

    public TransformedLogits(Classifier inner, UnaryOperator<NDArray> f, String description) {
        this.inner = inner;
        this.f = f;
        this.description = description;
    }

    /** The logits of {@code inner} times {@code factor}. */
    public static TransformedLogits scaled(Classifier inner, float factor) {
        if (!(factor > 0f) || !Float.isFinite(factor)) {
            throw new foil.FoilException("the logit scale must be a positive number, not " + factor);
        }
        return new TransformedLogits(inner, z -> z.mul(factor), inner.describe() + " with logits x" + factor);
    }

    @Override
    public Shape inputShape() {
        return inner.inputShape();
    }

    @Override
    public int numClasses() {
        return inner.numClasses();
    }

    @Override
    public NDArray logits(NDArray x) {
        return f.apply(inner.logits(x));
    }

    @Override
    public NDArray differentiableLogits(NDArray x) {
        return f.apply(inner.differentiableLogits(x));
    }

    @Override
    public boolean hasGradients() {
        return inner.hasGradients();
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public void close() {
        inner.close();
    }
}
