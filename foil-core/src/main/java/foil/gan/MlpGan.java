package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.UniformInitializer;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * A generator and a discriminator for low-dimensional data: multilayer perceptrons (ReLU in the generator,
 * LeakyReLU 0.2 in the critic). The critic's input gradient, needed by WGAN-GP, is written out as an
 * expression of its weights (exact for this piecewise-linear network), so the penalty is differentiated by
 * one ordinary backward pass: no double backward, no leak.
 *
 * <p>Two things make these small networks able to draw sharp, far-away modes. The data are standardised
 * inside the pair: the critic reads x / scale and the generator writes scale × its output, with scale the
 * data's standard deviation per coordinate. And biases start like PyTorch's, uniform in ±1/√fan-in, not at
 * zero: with zero biases every ReLU boundary passes through the origin, the networks start positively
 * homogeneous (f(αx) = αf(x)), and a critic needs thousands of steps before it can carve out a bump away
 * from the centre.
 */
public final class MlpGan extends ModelPair {
    static final float SLOPE = 0.2f;

    private final List<Linear> criticLayers;
    private final float scale;

    /** Unscaled data (scale 1). */
    public MlpGan(int latent, int dims, int hidden, int layers) {
        this(latent, dims, hidden, layers, 1f);
    }

    /** Data whose coordinates have about this standard deviation. */
    public MlpGan(int latent, int dims, int hidden, int layers, float scale) {
        this(latent, dims, hidden, layers, checked(scale), new ArrayList<>());
    }

    private MlpGan(int latent, int dims, int hidden, int layers, float scale, List<Linear> criticLayers) {
        super("mlp", generator(latent, dims, hidden, layers, scale), critic(dims, hidden, layers, scale, criticLayers),
                new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1f),
                latent, new Shape(dims));
        this.criticLayers = criticLayers;
        this.scale = scale;
    }

    private static float checked(float scale) {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("the data scale must be positive, got " + scale);
        }
        return scale;
    }

    /** A linear layer whose bias starts uniform in ±1/√fanIn (PyTorch's default). */
    private static Linear linear(int units, int fanIn) {
        Linear lin = Linear.builder().setUnits(units).build();
        lin.setInitializer(new UniformInitializer((float) (1 / Math.sqrt(fanIn))), Parameter.Type.BIAS);
        return lin;
    }

    private static SequentialBlock generator(int latent, int dims, int hidden, int layers, float scale) {
        SequentialBlock g = new SequentialBlock();
        int in = latent;
        for (int l = 0; l < layers; l++) {
            g.add(linear(hidden, in)).add(Activation::relu);
            in = hidden;
        }
        g.add(linear(dims, in));
        if (scale != 1f) {
            g.add(x -> new NDList(x.singletonOrThrow().mul(scale)));
        }
        return g;
    }

    private static SequentialBlock critic(int dims, int hidden, int layers, float scale, List<Linear> linears) {
        SequentialBlock d = new SequentialBlock();
        if (scale != 1f) {
            d.add(x -> new NDList(x.singletonOrThrow().div(scale)));
        }
        int in = dims;
        for (int l = 0; l < layers; l++) {
            Linear lin = linear(hidden, in);
            linears.add(lin);
            d.add(lin).add(x -> Activation.leakyRelu(x, SLOPE));
            in = hidden;
        }
        Linear out = linear(1, in);
        linears.add(out);
        return d.add(out);
    }

    /**
     * ∇ₓD(x) per row, as a differentiable expression of the critic's weights: with pre-activations h_l and
     * slopes s_l = 1 where h_l > 0 else 0.2, ∇ₓD = W₁ᵀ diag(s₁) W₂ᵀ diag(s₂) … w_outᵀ.
     */
    @Override
    public NDArray criticInputGradient(NDArray x) {
        List<NDArray> slopes = new ArrayList<>();
        NDArray a = x.div(scale);
        for (int l = 0; l < criticLayers.size() - 1; l++) {
            NDArray h = criticLayers.get(l).forward(store(), new NDList(a), true).singletonOrThrow();
            NDArray positive = h.gt(0f).toType(DataType.FLOAT32, false).stopGradient();
            slopes.add(positive.mul(1 - SLOPE).add(SLOPE));
            a = Activation.leakyRelu(h, SLOPE);
        }
        // start from the input's manager (ones × w_out), so every array made here belongs to the caller's scope
        NDArray g = x.getManager().ones(new Shape(x.getShape().get(0), 1)).matMul(weight(criticLayers.size() - 1));
        for (int l = criticLayers.size() - 2; l >= 0; l--) {
            g = g.mul(slopes.get(l)).matMul(weight(l));
        }
        return g.div(scale); // the chain rule through x / scale
    }

    private NDArray weight(int layer) {
        return criticLayers.get(layer).getParameters().get("weight").getArray();
    }
}
