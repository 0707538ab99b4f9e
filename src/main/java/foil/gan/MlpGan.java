package foil.gan;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.XavierInitializer;
import foil.Foil;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A generator and a discriminator for low-dimensional data: multilayer perceptrons (ReLU in the generator,
 * LeakyReLU 0.2 in the critic), each a DJL block in its own model. The critic's input gradient, needed by
 * WGAN-GP, is written out as an expression of its weights (exact for this piecewise-linear network), so the
 * penalty is differentiated by one ordinary backward pass: no double backward, no leak.
 */
public final class MlpGan implements GanNetworks {
    static final float SLOPE = 0.2f;

    private final Model generator;
    private final Model critic;
    private final List<Linear> criticLayers = new ArrayList<>();
    private final ParameterStore store;
    private final int latent;
    private final int dims;

    public MlpGan(int latent, int dims, int hidden, int layers) {
        this.latent = latent;
        this.dims = dims;
        generator = Model.newInstance("generator", Foil.device(), "PyTorch");
        critic = Model.newInstance("critic", Foil.device(), "PyTorch");
        SequentialBlock g = new SequentialBlock();
        for (int l = 0; l < layers; l++) {
            g.add(Linear.builder().setUnits(hidden).build()).add(Activation::relu);
        }
        g.add(Linear.builder().setUnits(dims).build());
        SequentialBlock d = new SequentialBlock();
        for (int l = 0; l < layers; l++) {
            Linear lin = Linear.builder().setUnits(hidden).build();
            criticLayers.add(lin);
            d.add(lin).add(x -> Activation.leakyRelu(x, SLOPE));
        }
        Linear out = Linear.builder().setUnits(1).build();
        criticLayers.add(out);
        d.add(out);
        for (SequentialBlock b : new SequentialBlock[] {g, d}) {
            b.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                    XavierInitializer.FactorType.IN, 1f), Parameter.Type.WEIGHT);
        }
        generator.setBlock(g);
        critic.setBlock(d);
        g.initialize(generator.getNDManager(), DataType.FLOAT32, new Shape(1, latent));
        d.initialize(critic.getNDManager(), DataType.FLOAT32, new Shape(1, dims));
        store = new ParameterStore(generator.getNDManager(), false);
    }

    @Override
    public int latent() {
        return latent;
    }

    public int dims() {
        return dims;
    }

    @Override
    public Block generatorBlock() {
        return generator.getBlock();
    }

    @Override
    public Block criticBlock() {
        return critic.getBlock();
    }

    @Override
    public NDManager manager() {
        return generator.getNDManager();
    }

    @Override
    public NDArray generate(NDArray z) {
        return generator.getBlock().forward(store, new NDList(z), true).singletonOrThrow();
    }

    @Override
    public NDArray score(NDArray x) {
        return critic.getBlock().forward(store, new NDList(x), true).singletonOrThrow();
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
            NDArray h = criticLayers.get(l).forward(store, new NDList(a), true).singletonOrThrow();
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

    @Override
    public void save(DataOutputStream out) throws IOException {
        generator.getBlock().saveParameters(out);
        critic.getBlock().saveParameters(out);
    }

    @Override
    public void load(DataInputStream in) throws IOException {
        try {
            generator.getBlock().loadParameters(generator.getNDManager(), in);
            critic.getBlock().loadParameters(critic.getNDManager(), in);
            foil.nn.Trainable.set(generator.getBlock(), true);
            foil.nn.Trainable.set(critic.getBlock(), true);
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Arrays held by both networks and whatever their managers own (optimizer state too): a leak shows here. */
    public int managedArrays() {
        return generator.getNDManager().getManagedArrays().size() + critic.getNDManager().getManagedArrays().size();
    }

    @Override
    public void close() {
        generator.close();
        critic.close();
    }
}
