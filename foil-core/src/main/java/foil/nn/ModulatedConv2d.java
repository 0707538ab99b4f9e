package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * StyleGAN2's modulated convolution (Karras et al. 2020, §2.2), written as its paper's non-fused form: the input
 * scaled per image and input channel by the style s, an ordinary convolution with the {@link Equalized equalised}
 * weight w, then (with demodulation) each output channel scaled by d = 1/√(Σ_{i,k} (s_i·w_{o,i,k})² + 10⁻⁸), so the
 * output has unit expected variance again: y = d ⊙ conv(x ⊙ s, w). Inputs: x (n × in × h × w) and s (n × in). The
 * convolution runs channels last where {@link Convolution#channelsLastForTraining} says so.
 */
public final class ModulatedConv2d extends AbstractBlock {
    public static final float EPSILON = 1e-8f;
    private final Equalized eq;
    private final int kernel;
    private final long out;
    private final boolean demodulate;

    public ModulatedConv2d(long in, long out, int kernel, boolean demodulate) {
        this.kernel = kernel;
        this.out = out;
        this.demodulate = demodulate;
        this.eq = new Equalized("", new Shape(out, in, kernel, kernel), in * kernel * kernel, 1f, 1f, false, 0f);
        addParameter(eq.weightParameter());
    }

    /** d ⊙ conv(x ⊙ s, w) in x's scope. */
    public NDArray apply(NDArray x, NDArray style) {
        return apply(x, style, 1f);
    }

    /**
     * d ⊙ conv(g·x ⊙ s, w), d from s alone: the layer applied to g·x, with the constant g carried by the style's
     * n × in scales instead of a pass over the whole activation (the √2 gain of the LeakyReLU before it).
     */
    public NDArray apply(NDArray x, NDArray style, float inputGain) {
        Parts parts = scaled(x, style, inputGain == 1f ? style : style.mul(inputGain));
        if (parts.inverse() == null) {
            return parts.convolved();
        }
        return parts.convolved().mul(parts.demodulation().reshape(x.getShape().get(0), out, 1, 1));
    }

    /**
     * The layer applied to g ⊙ x for per-image, per-channel factors g (n × in; null: 1), as its two factors, for a
     * caller that applies d itself (see {@link Parts}).
     */
    public Parts parts(NDArray x, NDArray style, NDArray inputScale) {
        return scaled(x, style, inputScale == null ? style : style.mul(inputScale));
    }

    /** conv(x ⊙ scales, w) (toRGB's as a product), and 1/d from the style alone. */
    private Parts scaled(NDArray x, NDArray style, NDArray scales) {
        NDArray w = eq.weight(x.getManager());
        if (kernel == 1 && !demodulate) {
            return new Parts(pointwise(x, scales, w), null);
        }
        Shape xs = x.getShape();
        NDArray scaledX = x.mul(scales.reshape(xs.get(0), xs.get(1), 1, 1));
        NDArray y = Convolution.conv2d(scaledX, w, null, 1, kernel / 2, Convolution.channelsLastForTraining());
        if (!demodulate) {
            return new Parts(y, null);
        }
        NDArray wSquared = w.square().sum(new int[] {2, 3}); // out × in
        return new Parts(y, style.square().dot(wSquared.transpose()).add(EPSILON).sqrt()); // n × out: 1/d
    }

    /**
     * The layer's output is d ⊙ {@code convolved}, with {@code inverse} = 1/d = √(Σ (s w)² + ε) (n × out; null
     * without demodulation, d = 1): kept apart, d can ride on to what reads the output (StyleGAN's generator carries
     * it through the LeakyReLU, which commutes with a factor d > 0).
     */
    public record Parts(NDArray convolved, NDArray inverse) {
        /** d (n × out), or null without demodulation. */
        public NDArray demodulation() {
            return inverse == null ? null : inverse.pow(-1f);
        }
    }

    /**
     * A 1 × 1 modulated convolution without demodulation (StyleGAN's toRGB) as the matrix product it is: per image,
     * the pixels (h·w × in) times the style-scaled weight (in × out). No pass over x to scale it, no convolution
     * kernel, and none of the zero filters the padded route would add to a one-channel output.
     */
    private NDArray pointwise(NDArray x, NDArray scales, NDArray w) {
        Shape s = x.getShape();
        long n = s.get(0);
        long in = s.get(1);
        long h = s.get(2);
        long wd = s.get(3);
        NDArray perImage = scales.expandDims(2).mul(w.reshape(out, in).transpose().expandDims(0)); // n × in × out
        NDArray pixels = x.transpose(0, 2, 3, 1).reshape(n, h * wd, in); // a view where x is laid out channels last
        return pixels.matMul(perImage).reshape(n, h, wd, out).transpose(0, 3, 1, 2);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(inputs.get(0), inputs.get(1)));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }
}
