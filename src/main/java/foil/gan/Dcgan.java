package foil.gan;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import foil.Foil;
import foil.FoilException;
import foil.nn.Trainable;
import foil.nn.TransposedConv2d;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * DCGAN (Radford et al. 2016) adapted to 28×28 images in [-1, 1]: the generator projects z to 128×7×7 and
 * doubles the size twice with transposed convolutions (kernel 4, stride 2, padding 1), batch norm and ReLU,
 * ending in tanh; the discriminator halves it twice with strided convolutions and LeakyReLU 0.2 (batch norm
 * after the second), then one linear score. Weights start from N(0, 0.02) as in the paper.
 */
public final class Dcgan implements GanNetworks {
    private final Model generator;
    private final Model critic;
    private final ParameterStore store;
    private final int latent;
    private final int channels;

    public Dcgan(int latent, int channels, int width) {
        if (width < 8) {
            throw new FoilException("DCGAN width must be at least 8, not " + width);
        }
        this.latent = latent;
        this.channels = channels;
        generator = Model.newInstance("dcgan-generator", Foil.device(), "PyTorch");
        critic = Model.newInstance("dcgan-discriminator", Foil.device(), "PyTorch");
        int w2 = 2 * width;
        SequentialBlock g = new SequentialBlock()
                .add(Linear.builder().setUnits(w2 * 7 * 7).build())
                .add(x -> new NDList(x.singletonOrThrow().reshape(-1, w2, 7, 7)))
                .add(BatchNorm.builder().build()).add(Activation::relu)
                .add(new TransposedConv2d(width, 4, 2, 1))
                .add(BatchNorm.builder().build()).add(Activation::relu)
                .add(new TransposedConv2d(channels, 4, 2, 1))
                .add(Activation::tanh);
        SequentialBlock d = new SequentialBlock()
                .add(conv(width)).add(x -> Activation.leakyRelu(x, 0.2f))
                .add(conv(w2)).add(BatchNorm.builder().build()).add(x -> Activation.leakyRelu(x, 0.2f))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(1).build());
        for (SequentialBlock b : new SequentialBlock[] {g, d}) {
            b.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        }
        generator.setBlock(g);
        critic.setBlock(d);
        g.initialize(generator.getNDManager(), DataType.FLOAT32, new Shape(1, latent));
        d.initialize(critic.getNDManager(), DataType.FLOAT32, new Shape(1, channels, 28, 28));
        store = new ParameterStore(generator.getNDManager(), false);
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1))
                .setFilters(filters).build();
    }

    public int channels() {
        return channels;
    }

    @Override
    public int latent() {
        return latent;
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

    @Override
    public NDArray criticInputGradient(NDArray x) {
        throw new FoilException("wgan-gp needs the critic's input gradient, which Foil writes out for MLP critics "
                + "only so far: train dcgan with minimax, nonsaturating, wgan or hinge");
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

    @Override
    public void close() {
        generator.close();
        critic.close();
    }
}
