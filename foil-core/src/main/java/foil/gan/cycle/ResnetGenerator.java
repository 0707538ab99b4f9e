package foil.gan.cycle;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import foil.FoilException;
import foil.nn.Conv2dBlock;
import foil.nn.InstanceNorm;
import foil.nn.ReflectionPad2d;
import foil.nn.Residual;
import foil.nn.TransposedConv2d;

/**
 * CycleGAN's generator (Zhu et al. 2017, appendix 7.2; Johnson et al. 2016) sized for small images:
 * c7s1-w, d2w, d4w (two stride-2 3×3 convolutions), {@code blocks} residual blocks of 4w channels (reflection pad,
 * 3×3 convolution, instance norm, ReLU, twice, without the second ReLU), u2w, uw (Foil's transposed convolution,
 * kernel 4, stride 2, padding 1: exactly twice the size, where the paper's kernel 3 needs an output padding), and
 * c7s1-C with tanh. Every 7×7 and residual convolution pads by reflection. Instance norm without affine, as the
 * authors' code; the convolutions it follows have no bias (the norm removes any constant), the last one has.
 * Images of H and W divisible by 4 come out the size they went in (28 → 14 → 7 → 14 → 28).
 */
public final class ResnetGenerator {
    private ResnetGenerator() {}

    public static SequentialBlock build(int channels, int width, int blocks) {
        if (channels < 1 || width < 1 || blocks < 0) {
            throw new FoilException("the generator needs channels and width of at least 1 and blocks >= 0 (channels "
                    + channels + ", width " + width + ", blocks " + blocks + ")");
        }
        SequentialBlock g = new SequentialBlock()
                .add(new ReflectionPad2d(3)).add(conv(width, 7, 1, 0, false)).add(normRelu())
                .add(conv(2 * width, 3, 2, 1, false)).add(normRelu())
                .add(conv(4 * width, 3, 2, 1, false)).add(normRelu());
        for (int k = 0; k < blocks; k++) {
            g.add(residual(4 * width));
        }
        return g.add(new TransposedConv2d(2 * width, 4, 2, 1)).add(normRelu())
                .add(new TransposedConv2d(width, 4, 2, 1)).add(normRelu())
                .add(new ReflectionPad2d(3)).add(conv(channels, 7, 1, 0, true))
                .add(Activation::tanh);
    }

    /** One residual block: x + IN(conv(pad(relu(IN(conv(pad(x))))))). */
    static Block residual(int filters) {
        return new Residual(new SequentialBlock()
                .add(new ReflectionPad2d(1)).add(conv(filters, 3, 1, 0, false)).add(normRelu())
                .add(new ReflectionPad2d(1)).add(conv(filters, 3, 1, 0, false)).add(new InstanceNorm(false)));
    }

    private static Block normRelu() {
        return new SequentialBlock().add(new InstanceNorm(false)).add(Activation::relu);
    }

    static Block conv(int filters, int kernel, int stride, int padding, boolean bias) {
        return Conv2dBlock.of(filters, kernel, stride, padding, bias);
    }
}
