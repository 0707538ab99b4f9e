package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.NormalInitializer;
import foil.FoilException;
import foil.nn.TransposedConv2d;

/**
 * DCGAN (Radford et al. 2016) adapted to 28×28 images in [-1, 1]: the generator projects z to 2w×7×7 and
 * doubles the size twice with transposed convolutions (kernel 4, stride 2, padding 1), batch norm and ReLU,
 * ending in tanh; the discriminator halves it twice with strided convolutions and LeakyReLU 0.2 (batch norm
 * after the second), then one linear score. Weights start from N(0, 0.02) as in the paper.
 */
public final class Dcgan extends ModelPair {
    private final int channels;

    public Dcgan(int latent, int channels, int width) {
        super("dcgan", generator(channels, checked(width)), discriminator(width), new NormalInitializer(0.02f), latent,
                new Shape(channels, 28, 28));
        this.channels = channels;
    }

    private static int checked(int width) {
        if (width < 4) {
            throw new FoilException("DCGAN width must be at least 4, not " + width);
        }
        return width;
    }

    private static SequentialBlock generator(int channels, int width) {
        int w2 = 2 * width;
        return new SequentialBlock()
                .add(Linear.builder().setUnits(w2 * 7 * 7).build())
                .add(x -> new NDList(x.singletonOrThrow().reshape(-1, w2, 7, 7)))
                .add(BatchNorm.builder().build()).add(Activation::relu)
                .add(new TransposedConv2d(width, 4, 2, 1))
                .add(BatchNorm.builder().build()).add(Activation::relu)
                .add(new TransposedConv2d(channels, 4, 2, 1))
                .add(Activation::tanh);
    }

    private static SequentialBlock discriminator(int width) {
        return new SequentialBlock()
                .add(conv(width)).add(x -> Activation.leakyRelu(x, 0.2f))
                .add(conv(2 * width)).add(BatchNorm.builder().build()).add(x -> Activation.leakyRelu(x, 0.2f))
                .add(Blocks.batchFlattenBlock())
                .add(Linear.builder().setUnits(1).build());
    }

    private static Block conv(int filters) {
        return Conv2d.builder().setKernelShape(new Shape(4, 4)).optStride(new Shape(2, 2)).optPadding(new Shape(1, 1))
                .setFilters(filters).build();
    }

    public int channels() {
        return channels;
    }

    @Override
    public NDArray criticInputGradient(NDArray x) {
        throw new FoilException("wgan-gp needs the critic's input gradient, which Foil writes out for MLP critics "
                + "only so far: train dcgan with minimax, nonsaturating, wgan or hinge");
    }
}
