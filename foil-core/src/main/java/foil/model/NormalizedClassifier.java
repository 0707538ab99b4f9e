package foil.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import java.util.Arrays;

/**
 * A model that expects normalised inputs, seen from pixel space: attacks give it images in [0, 1] and it
 * hands the model (x − mean) / std, per channel, so budgets and the box stay in pixels. Gradients flow
 * through the normalisation (it is recorded like any other operation).
 */
public final class NormalizedClassifier implements Classifier {
    private final Classifier inner;
    private final float[] mean;
    private final float[] std;

    /**
     * Wraps {@code inner}; {@code mean} and {@code std} hold one value per channel, or one value for all. The
     * wrapper owns {@code inner} and closes it.
     */
    public NormalizedClassifier(Classifier inner, float[] mean, float[] std) {
        int c = (int) inner.inputShape().get(0);
        this.inner = inner;
        this.mean = perChannel("--mean", mean, c);
        this.std = perChannel("--std", std, c);
        for (int i = 0; i < c; i++) {
            if (!Float.isFinite(this.mean[i])) {
                throw new FoilException("--mean must be finite numbers, not " + Arrays.toString(mean));
            }
            if (!(this.std[i] > 0f) || !Float.isFinite(this.std[i])) {
                throw new FoilException("--std must be positive numbers, not " + Arrays.toString(std));
            }
        }
    }

    private static float[] perChannel(String option, float[] v, int channels) {
        if (v == null || v.length == 0) {
            throw new FoilException("give --mean and --std together (one value, or one per channel)");
        }
        if (v.length == 1) {
            float[] out = new float[channels];
            Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != channels) {
            throw new FoilException(option + " has " + v.length + " values but the images have " + channels
                    + " channel(s): give one value, or one per channel");
        }
        return v.clone();
    }

    /** (x − mean) / std per channel, in {@code x}'s manager. */
    public NDArray normalize(NDArray x) {
        Shape perChannel = new Shape(mean.length, 1, 1);
        NDArray m = x.getManager().create(mean, perChannel);
        NDArray s = x.getManager().create(std, perChannel);
        return x.sub(m).div(s);
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
        return inner.logits(normalize(x));
    }

    @Override
    public NDArray differentiableLogits(NDArray x) {
        return inner.differentiableLogits(normalize(x));
    }

    @Override
    public boolean hasGradients() {
        return inner.hasGradients();
    }

    @Override
    public String describe() {
        return inner.describe() + " (normalised: mean " + Arrays.toString(mean) + ", std " + Arrays.toString(std) + ")";
    }

    @Override
    public void close() {
        inner.close();
    }
}
