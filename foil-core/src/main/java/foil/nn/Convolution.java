package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import foil.numerics.ChannelPadding;
import foil.numerics.ConvolutionCheck;
import foil.numerics.Numerics;
import foil.numerics.Route;
import foil.numerics.ShapeChecks;

/**
 * Every 2-D convolution Foil runs (one group, square kernel, zero padding), computed on the route the numerics guard
 * chose ({@link Route}):
 * <ul>
 *   <li>oneDNN: the engine's kernel as it is.</li>
 *   <li>oneDNN on padded channels: input and filters padded with zeros to counts oneDNN computes right on this CPU
 *       ({@link ChannelPadding}), each new shape checked against the float64 reference at its first use
 *       ({@link ShapeChecks}).</li>
 *   <li>im2col (oneDNN off): PyTorch unfolds the whole batch into one buffer of n·c·k²·h·w floats, which at 32 × 32
 *       is tens of megabytes, above 64 MiB mapped afresh on every call, and it then runs several times slower per
 *       image than on a small buffer (measured in docs/notes/bench-progressive-stylegan.md); so the batch is run in
 *       slices. Each image's output is the same sums either way; so is the gradient at the input, and the weight's
 *       gradient is the same sum over images taken slice by slice.</li>
 * </ul>
 * A caller that asks for {@link ChannelsLast channels last} on a oneDNN route gets its input laid out N×H×W×C before
 * the kernel (a view where it is already so) and an output laid out the same way: oneDNN then skips the reorders
 * between N×C×H×W and its blocked layout around every call, and the padded route checks the channels-last kernels
 * per shape as it does the others. The im2col route runs either layout as it is.
 */
public final class Convolution {
    /** The unfolded input of one call above which the batch is sliced ({@code -Dfoil.conv.sliceBytes}; 0: never). */
    static final long SLICE_BYTES = Long.getLong("foil.conv.sliceBytes", 8L << 20);

    private Convolution() {}

    /** conv(x, w) + b with zero padding {@code pad} (b may be null), stride 1, one group. */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int pad) {
        return conv2d(x, w, b, 1, pad);
    }

    /** conv(x, w) + b at {@code stride} with zero padding {@code pad} (b may be null), one group. */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        return conv2d(x, w, b, stride, pad, false);
    }

    /**
     * conv(x, w) + b at {@code stride} with zero padding {@code pad} (b may be null), one group, on oneDNN in the
     * channels-last layout where {@code channelsLast} (see {@link #channelsLastForTraining}).
     */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int stride, int pad, boolean channelsLast) {
        Numerics.ensure();
        Route route = Route.current();
        ConvolutionCheck.Kernel kernel = channelsLast ? ConvolutionCheck.CHANNELS_LAST : Convolution::engine;
        if (route == Route.ONEDNN_PADDED) {
            Shape s = x.getShape();
            int k = (int) w.getShape().get(2);
            int c = ChannelPadding.input((int) s.get(1), stride);
            int o = ChannelPadding.output((int) w.getShape().get(0));
            if (ShapeChecks.right((int) s.get(0), c, (int) s.get(2), (int) s.get(3), o, k, stride, pad, channelsLast)) {
                return ChannelPadding.apply(x, w, b, stride, pad, kernel);
            }
            route = Route.current();
        }
        return route == Route.IM2COL ? sliced(x, w, b, stride, pad, SLICE_BYTES) : kernel.apply(x, w, b, stride, pad);
    }

    /**
     * Whether networks trained here should ask for channels-last convolutions: where oneDNN runs them (any route but
     * im2col) and {@code -Dfoil.channelsLast} is not false. Measured on the StyleGAN and progressive critics, where it
     * removes most of oneDNN's reorders (docs/notes/stop-15.md).
     */
    public static boolean channelsLastForTraining() {
        return CHANNELS_LAST && Route.current() != Route.IM2COL;
    }

    private static final boolean CHANNELS_LAST = Boolean.parseBoolean(System.getProperty("foil.channelsLast", "true"));

    /** The im2col route, slicing the batch above {@code sliceBytes} of unfolded input (0: never). */
    static NDArray sliced(NDArray x, NDArray w, NDArray b, int stride, int pad, long sliceBytes) {
        Shape s = x.getShape();
        Shape k = w.getShape();
        long n = s.get(0);
        long taps = k.get(2) * k.get(3);
        long perImage = 4L * s.get(1) * taps * ((s.get(2) + 2L * pad - k.get(2)) / stride + 1)
                * ((s.get(3) + 2L * pad - k.get(3)) / stride + 1);
        long slices = sliceBytes <= 0 || taps == 1 ? 1 : Math.min(n, (n * perImage + sliceBytes - 1) / sliceBytes);
        if (slices <= 1) {
            return engine(x, w, b, stride, pad);
        }
        long size = (n + slices - 1) / slices;
        NDList parts = new NDList();
        for (long i = 0; i < n; i += size) {
            parts.add(engine(x.get(new NDIndex("{}:{}", i, Math.min(n, i + size))), w, b, stride, pad));
        }
        return NDArrays.concat(parts, 0);
    }

    /** The engine's own convolution, whatever route PyTorch takes for it. */
    static NDArray engine(NDArray x, NDArray w, NDArray b, int stride, int pad) {
        return Conv2d.conv2d(x, w, b, new Shape(stride, stride), new Shape(pad, pad), new Shape(1, 1), 1)
                .singletonOrThrow();
    }
}
