package foil.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import java.util.List;
import java.util.Random;

/**
 * conv2d (n × c × h × w input, o filters of k × k, stride and padding) against explicit loops: the output and
 * the gradients with respect to input, weight and bias.
 */
public record ConvolutionCheck(int n, int c, int h, int w, int o, int k, int stride, int padding, boolean cheap,
        Kernel kernel) implements OpCheck {
    /** A convolution as the engine computes it: the check's subject, replaceable to prove the check fails. */
    @FunctionalInterface
    public interface Kernel {
        NDArray apply(NDArray x, NDArray weight, NDArray bias, int stride, int padding);
    }

    /** The engine's own conv2d. */
    public static final Kernel ENGINE = ConvolutionCheck::conv;

    /**
     * The engine's own conv2d on the input laid out {@link foil.nn.ChannelsLast channels last} (oneDNN's kernels for
     * that layout are other code); its output is laid out the same way.
     */
    public static final Kernel CHANNELS_LAST = (x, w, b, stride, padding) -> conv(foil.nn.ChannelsLast.of(x), w, b,
            stride, padding);

    public ConvolutionCheck(int n, int c, int h, int w, int o, int k, int stride, int padding, boolean cheap) {
        this(n, c, h, w, o, k, stride, padding, cheap, ENGINE);
    }

    /** The same check run against another kernel. */
    public ConvolutionCheck with(Kernel other) {
        return new ConvolutionCheck(n, c, h, w, o, k, stride, padding, cheap, other);
    }

    @Override
    public String op() {
        return "conv2d";
    }

    @Override
    public String shape() {
        return describe(n, c, h, w, o, c, k, stride, padding);
    }

    /** "n x ch x h x w * out x in x k x k s? p?": an input and a weight as the checks print them. */
    static String describe(int n, int ch, int h, int w, int out, int in, int k, int stride, int padding) {
        return n + "x" + ch + "x" + h + "x" + w + " * " + out + "x" + in + "x" + k + "x" + k + " s" + stride + " p"
                + padding;
    }

    @Override
    public List<Comparison> run(NDManager m, Random random) {
        float[] x = Autograd.uniform(random, n * c * h * w, 1);
        float[] wt = Autograd.uniform(random, o * c * k * k, 1 / Math.sqrt(c * k * k));
        float[] b = Autograd.uniform(random, o, 0.1);
        int oh = Reference.convOut(h, k, stride, padding);
        int ow = Reference.convOut(w, k, stride, padding);
        float[] up = Autograd.uniform(random, n * o * oh * ow, 1);
        Autograd.Run run = Autograd.run(m,
                List.of(Autograd.array(m, x, n, c, h, w), Autograd.array(m, wt, o, c, k, k), Autograd.array(m, b, o)),
                in -> kernel.apply(in.get(0), in.get(1), in.get(2), stride, padding), up);
        Reference.Conv ref = Reference.conv2d(x, n, c, h, w, wt, o, k, b, stride, padding, up);
        return List.of(new Comparison("output", run.out(), ref.out()),
                new Comparison("input gradient", run.grads().get(0), ref.inputGrad()),
                new Comparison("weight gradient", run.grads().get(1), ref.weightGrad()),
                new Comparison("bias gradient", run.grads().get(2), ref.biasGrad()));
    }

    static NDArray conv(NDArray x, NDArray weight, NDArray bias, int stride, int padding) {
        return Conv2d.conv2d(x, weight, bias, new Shape(stride, stride), new Shape(padding, padding)).singletonOrThrow();
    }
}
