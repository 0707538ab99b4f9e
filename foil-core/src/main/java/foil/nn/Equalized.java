package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.initializer.ConstantInitializer;
import ai.djl.training.initializer.NormalInitializer;

/**
 * The equalised learning rate of Karras et al. (2018, §4.1): a weight is stored as N(0, 1/λ²) and used as
 * w·c·λ with c = gain/√fan-in (He's constant), λ the layer's learning-rate multiplier; the bias is used as b·λ.
 * Adam's step is then the same relative size for every layer, whatever its fan-in. The mapping network of StyleGAN
 * has λ = 0.01. The scaled arrays are made in the caller's scope, not the weight's, so nothing accumulates.
 */
public final class Equalized {
    private final Parameter weight;
    private final Parameter bias;
    private final float scale;
    private final float lrMultiplier;

    /**
     * A weight of {@code shape} (out first) with fan-in {@code fanIn}, and a bias of {@code out} starting at
     * {@code biasInit}, or none where {@code withBias} is false.
     */
    public Equalized(String name, Shape shape, long fanIn, float gain, float lrMultiplier, boolean withBias,
            float biasInit) {
        this.scale = (float) (gain / Math.sqrt(fanIn)) * lrMultiplier;
        this.lrMultiplier = lrMultiplier;
        this.weight = Parameter.builder().setName(name + "weight").setType(Parameter.Type.WEIGHT).optShape(shape)
                .optInitializer(new NormalInitializer(1f / lrMultiplier)).build();
        this.bias = withBias ? Parameter.builder().setName(name + "bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(shape.get(0))).optInitializer(new ConstantInitializer(biasInit / lrMultiplier))
                .build() : null;
    }

    public Parameter weightParameter() {
        return weight;
    }

    public Parameter biasParameter() {
        return bias;
    }

    /** The factor c·λ the stored weight is used at. */
    public float scale() {
        return scale;
    }

    /** The factor λ the stored bias is used at. */
    public float lrMultiplier() {
        return lrMultiplier;
    }

    /** w·c·λ, made in {@code scope}. */
    public NDArray weight(NDManager scope) {
        NDArray w = weight.getArray().mul(scale);
        w.attach(scope);
        return w;
    }

    /** b·λ in {@code scope}, or null without a bias. */
    public NDArray bias(NDManager scope) {
        if (bias == null) {
            return null;
        }
        NDArray b = bias.getArray().mul(lrMultiplier);
        b.attach(scope);
        return b;
    }
}
