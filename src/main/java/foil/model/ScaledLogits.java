package foil.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * A classifier whose logits are another's times a constant. Its predictions are the same, but a large
 * factor saturates the softmax in float32, so that the cross-entropy's input gradient is exactly zero on
 * most images: the simplest gradient masking, used to check that an evaluation sees through it.
 */
public final class ScaledLogits implements Classifier {
    private final Classifier inner;
    private final float factor;

    public ScaledLogits(Classifier inner, float factor) {
        if (!(factor > 0f) || !Float.isFinite(factor)) {
            throw new foil.FoilException("the logit scale must be a positive number, not " + factor);
        }
        this.inner = inner;
        this.factor = factor;
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
        return inner.logits(x).mul(factor);
    }

    @Override
    public NDArray differentiableLogits(NDArray x) {
        return inner.differentiableLogits(x).mul(factor);
    }

    @Override
    public String describe() {
        return inner.describe() + " with logits x" + factor;
    }

    @Override
    public void close() {
        inner.close();
    }
}
