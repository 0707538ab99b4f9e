package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.training.initializer.NormalInitializer;
import foil.FoilException;
import foil.nn.Conv2dBlock;
import foil.nn.TransposedConv2d;

/**
 * DCGAN (Radford et al. 2016) adapted to 28×28 images in [-1, 1]: the generator projects z to 2w×7×7 and
 * doubles the size twice with transposed convolutions (kernel 4, stride 2, padding 1), batch norm and ReLU,
 * ending in tanh; the discriminator halves it twice with strided convolutions and LeakyReLU 0.2 (batch norm
 * after the second), then one linear score. Weights start from N(0, 0.02) as in the paper. For WGAN-GP the
 * critic has no batch norm (the penalty is per example, which batch statistics would couple, as Gulrajani et
 * al. advise), and its input gradient is written out: LeakyReLU slopes as constants, each strided convolution
 * undone by the transposed convolution with its own weight, so one ordinary backward differentiates the penalty.
 */
public final class Dcgan extends ModelPair implements ImageGan {
    private final int channels;
    private final int width;
    private final boolean criticBatchNorm;
    private final java.util.List<Block> criticLayers;

    public Dcgan(int latent, int channels, int width) {
        this(latent, channels, width, true);
    }

    /** With {@code criticBatchNorm} false, the critic WGAN-GP needs. */
    public Dcgan(int latent, int channels, int width, boolean criticBatchNorm) {
        this(latent, channels, checked(width), criticBatchNorm, new java.util.ArrayList<>());
    }

    private Dcgan(int latent, int channels, int width, boolean criticBatchNorm, java.util.List<Block> layers) {
        super("dcgan", generator(channels, width), discriminator(width, criticBatchNorm, layers),
                new NormalInitializer(0.02f), latent, new Shape(channels, 28, 28));
        this.channels = channels;
        this.width = width;
        this.criticBatchNorm = criticBatchNorm;
        this.criticLayers = layers;
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

    private static SequentialBlock discriminator(int width, boolean batchNorm, java.util.List<Block> layers) {
        Block conv1 = conv(width);
        Block conv2 = conv(2 * width);
        Block score = Linear.builder().setUnits(1).build();
        layers.addAll(java.util.List.of(conv1, conv2, score));
        SequentialBlock d = new SequentialBlock().add(conv1).add(x -> Activation.leakyRelu(x, SLOPE)).add(conv2);
        if (batchNorm) {
            d.add(BatchNorm.builder().build());
        }
        return d.add(x -> Activation.leakyRelu(x, SLOPE)).add(Blocks.batchFlattenBlock()).add(score);
    }

    static final float SLOPE = 0.2f;

    private static Block conv(int filters) {
        return Conv2dBlock.of(filters, 4, 2, 1, true);
    }

    public int channels() {
        return channels;
    }

    /** The channels of the first convolution (not the image's width: see {@link #width()}). */
    public int filters() {
        return width;
    }

    @Override
    public int height() {
        return 28;
    }

    @Override
    public int width() {
        return 28;
    }

    /**
     * ∇ₓD(x) per example, differentiable in the critic's weights: with h₁ = conv₁(x), h₂ = conv₂(lrelu(h₁)) and
     * D = w·lrelu(h₂) + b, ∇ₓD = conv₁ᵀ(s₁ ⊙ conv₂ᵀ(s₂ ⊙ w)), sᵢ the LeakyReLU slopes at hᵢ (held constant).
     */
    @Override
    public NDArray criticInputGradient(NDArray x) {
        if (criticBatchNorm) {
            throw new FoilException("wgan-gp needs a critic without batch norm: build Dcgan with criticBatchNorm false");
        }
        NDArray h1 = criticLayers.get(0).forward(store(), new NDList(x), true).singletonOrThrow();
        NDArray s1 = slopes(h1);
        NDArray h2 = criticLayers.get(1).forward(store(), new NDList(Activation.leakyRelu(h1, SLOPE)), true)
                .singletonOrThrow();
        NDArray s2 = slopes(h2);
        NDArray w = weight(2).reshape(new Shape(1).addAll(h2.getShape().slice(1)));
        w.attach(x.getManager()); // computed from a weight, it would belong to the weight's manager
        NDArray g2 = s2.mul(w);
        NDArray g1 = TransposedConv2d.ofConvolution(g2, weight(1), 2, 1).mul(s1);
        return TransposedConv2d.ofConvolution(g1, weight(0), 2, 1);
    }

    private static NDArray slopes(NDArray h) {
        return h.gt(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).stopGradient().mul(1 - SLOPE).add(SLOPE);
    }

    private NDArray weight(int layer) {
        return criticLayers.get(layer).getParameters().get("weight").getArray();
    }
}
