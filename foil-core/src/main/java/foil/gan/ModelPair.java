package foil.gan;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import foil.Foil;
import foil.nn.Trainable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * What every generator/discriminator pair shares: each network a DJL block in its own model, forward passes
 * in training mode (batch norm uses batch statistics, as GANs train), and saving and loading both.
 */
abstract class ModelPair implements GanNetworks {
    private final Model generator;
    private final Model critic;
    private final ParameterStore store;
    private final int latent;
    private String generatorWeights = "raw";

    ModelPair(String name, Block g, Block d, Initializer init, int latent, Shape dataShape) {
        this.latent = latent;
        generator = Model.newInstance(name + "-generator", Foil.device(), "PyTorch");
        critic = Model.newInstance(name + "-discriminator", Foil.device(), "PyTorch");
        if (init != null) { // null: the blocks set their own (the equalised layers start from N(0, 1))
            g.setInitializer(init, Parameter.Type.WEIGHT);
            d.setInitializer(init, Parameter.Type.WEIGHT);
        }
        generator.setBlock(g);
        critic.setBlock(d);
        g.initialize(generator.getNDManager(), DataType.FLOAT32, new Shape(1, latent));
        d.initialize(critic.getNDManager(), DataType.FLOAT32, new Shape(1).addAll(dataShape));
        store = new ParameterStore(generator.getNDManager(), false);
    }

    ParameterStore store() {
        return store;
    }

    @Override
    public int latent() {
        return latent;
    }

    @Override
    public String generatorWeights() {
        return generatorWeights;
    }

    void generatorWeights(String weights) {
        generatorWeights = weights;
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
    public NDArray generateInference(NDArray z) {
        return generator.getBlock().forward(store, new NDList(z), false).singletonOrThrow();
    }

    @Override
    public NDArray score(NDArray x) {
        return critic.getBlock().forward(store, new NDList(x), true).singletonOrThrow();
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
            Trainable.set(generator.getBlock(), true);
            Trainable.set(critic.getBlock(), true);
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
