package foil.gan.cycle;

import ai.djl.nn.Activation;
import ai.djl.nn.SequentialBlock;
import foil.FoilException;
import foil.nn.InstanceNorm;

/**
 * A PatchGAN discriminator (Isola et al. 2017) whose patches fit small images: the authors' NLayerDiscriminator with
 * one downsampling layer, C(w) 4×4 stride 2 with LeakyReLU 0.2 (no norm), C(2w) 4×4 stride 1 with instance norm and
 * LeakyReLU 0.2, then a 4×4 stride-1 convolution to one score per patch. Each score sees a 16×16 patch of the input
 * (the paper's 70×70 PatchGAN has three downsamplings; on 28×28 images that would see everything); a 28×28 image
 * gives a 12×12 map of scores.
 */
public final class PatchDiscriminator {
    static final float SLOPE = 0.2f;
    /** The side of the input patch each score sees. */
    public static final int RECEPTIVE_FIELD = 16;

    private PatchDiscriminator() {}

    public static SequentialBlock build(int width) {
        if (width < 1) {
            throw new FoilException("the discriminator's width must be at least 1, not " + width);
        }
        return new SequentialBlock()
                .add(ResnetGenerator.conv(width, 4, 2, 1, true)).add(x -> Activation.leakyRelu(x, SLOPE))
                .add(ResnetGenerator.conv(2 * width, 4, 1, 1, false)).add(new InstanceNorm(false))
                .add(x -> Activation.leakyRelu(x, SLOPE))
                .add(ResnetGenerator.conv(1, 4, 1, 1, true));
    }

    /** The side of the score map for an input of side {@code side}. */
    public static long outputSide(long side) {
        long afterFirst = (side + 2 - 4) / 2 + 1;
        return afterFirst - 1 - 1; // two 4×4 stride-1 convolutions with padding 1 each take one pixel off
    }
}
