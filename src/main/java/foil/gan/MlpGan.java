package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.initializer.XavierInitializer;
import java.util.ArrayList;
import java.util.List;

/**
 * A generator and a discriminator for low-dimensional data: multilayer perceptrons (ReLU in the generator,
 * LeakyReLU 0.2 in the critic). The critic's input gradient, needed by WGAN-GP, is written out as an
 * expression of its weights (exact for this piecewise-linear network), so the penalty is differentiated by
 * one ordinary backward pass: no double backward, no leak.
 */
public final class MlpGan extends ModelPair {
    static final float SLOPE = 0.2f;

    private final List<Linear> criticLayers;

    public MlpGan(int latent, int dims, int hidden, int layers) {
        this(latent, dims, hidden, layers, new ArrayList<>());
    }

    private MlpGan(int latent, int dims, int hidden, int layers, List<Linear> criticLayers) {
        super("mlp", generator(dims, hidden, layers), critic(hidden, layers, criticLayers),
                new XavierInitializer(XavierInitializer.RandomType.UNIFORM, XavierInitializer.FactorType.IN, 1f),
                latent, new Shape(dims));
        this.criticLayers = criticLayers;
    }

    private static SequentialBlock generator(int dims, int hidden, int layers) {
        SequentialBlock g = new SequentialBlock();
        for (int l = 0; l < layers; l++) {
            g.add(Linear.builder().setUnits(hidden).build()).add(Activation::relu);
        }
        return g.add(Linear.builder().setUnits(dims).build());
    }

    private static SequentialBlock critic(int hidden, int layers, List<Linear> linears) {
        SequentialBlock d = new SequentialBlock();
        for (int l = 0; l < layers; l++) {
            Linear lin = Linear.builder().setUnits(hidden).build();
            linears.add(lin);
            d.add(lin).add(x -> Activation.leakyRelu(x, SLOPE));
        }
        Linear out = Linear.builder().setUnits(1).build();
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
        NDArray a = x;
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
        return g;
    }

    private NDArray weight(int layer) {
        return criticLayers.get(layer).getParameters().get("weight").getArray();
    }
}
