package foil.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;

/**
 * Convolutions on channel counts oneDNN computes right where its kernels are otherwise wrong (AVX-512 AMD EPYC,
 * oneDNN 3.x; scanned in docs/notes/onednn-padded.md): filters a multiple of 16, and input channels at most 16 or a
 * multiple of 16 (32 at stride 2). Elsewhere its backward-data kernel, and for more than 16 input channels
 * not a multiple of 16 its forward kernel too, give wrong numbers: the fault follows the zero-padded tail of
 * oneDNN's own channel blocks. Padding the input with zero channels, the weight with zero filters and zero input
 * channels, and cutting the extra outputs off again gives the same sums: the added terms are products with
 * zero. Gradients flow back through the padding and the cut, so those of the real channels are unchanged.
 */
public final class ChannelPadding {
    private ChannelPadding() {}

    /** The input channel count a convolution of {@code c} channels at {@code stride} is computed on. */
    public static int input(int c, int stride) {
        return c <= 16 ? c : roundUp(c, stride == 1 ? 16 : 32);
    }

    /** The filter count {@code o} filters are computed as. */
    public static int output(int o) {
        return roundUp(o, 16);
    }

    private static int roundUp(int v, int m) {
        return (v + m - 1) / m * m;
    }

    /** {@code kernel}, run on padded channel counts. */
    public static ConvolutionCheck.Kernel around(ConvolutionCheck.Kernel kernel) {
        return (x, w, b, stride, padding) -> apply(x, w, b, stride, padding, kernel);
    }

    /** conv(x, w) + b at {@code stride} and {@code padding}, computed by {@code kernel} on padded channel counts. */
    public static NDArray apply(NDArray x, NDArray w, NDArray b, int stride, int padding,
            ConvolutionCheck.Kernel kernel) {
        int c = (int) x.getShape().get(1);
        int o = (int) w.getShape().get(0);
        int c2 = input(c, stride);
        int o2 = output(o);
        if (c2 == c && o2 == o) {
            return kernel.apply(x, w, b, stride, padding);
        }
        NDManager m = x.getManager();
        NDArray xp = zeros(x, 1, c2, m);
        NDArray wp = zeros(zeros(w, 1, c2, m), 0, o2, m);
        NDArray bp = b == null ? null : zeros(b, 0, o2, m);
        NDArray y = kernel.apply(xp, wp, bp, stride, padding);
        return o2 == o ? y : y.get(new NDIndex(":, 0:{}", o));
    }

    /** {@code a} with zeros appended along {@code axis} up to {@code size}, belonging to {@code m}. */
    private static NDArray zeros(NDArray a, int axis, int size, NDManager m) {
        long have = a.getShape().get(axis);
        if (have == size) {
            return a;
        }
        long[] dims = a.getShape().getShape().clone();
        dims[axis] = size - have;
        NDArray z = m.zeros(new Shape(dims), a.getDataType(), a.getDevice());
        NDArray out = a.concat(z, axis);
        out.attach(m); // made from a weight, but belongs to this pass's scope
        return out;
    }
}
