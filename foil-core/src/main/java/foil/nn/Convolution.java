package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;

/**
 * A stride-1 2-D convolution, as {@link Conv2d#conv2d} computes it, run over the batch in slices where the engine's
 * unfolded input would be large. With oneDNN off (see foil.numerics) PyTorch convolves by im2col: it unfolds the
 * whole batch into one buffer of n·c·k²·h·w floats, which at 32 × 32 is tens of megabytes, above 64 MiB mapped
 * afresh on every call, and it then runs several times slower per image than on a small buffer (measured in
 * docs/notes/bench-progressive-stylegan.md). Each image's output is the same sums either way; so is the gradient at
 * the input, and the weight's gradient is the same sum over images taken slice by slice.
 */
public final class Convolution {
    /** The unfolded input of one call above which the batch is sliced ({@code -Dfoil.conv.sliceBytes}; 0: never). */
    static final long SLICE_BYTES = Long.getLong("foil.conv.sliceBytes", 8L << 20);

    private Convolution() {}

    /** conv(x, w) + b with zero padding {@code pad} (b may be null), stride 1, one group. */
    public static NDArray conv2d(NDArray x, NDArray w, NDArray b, int pad) {
        return conv2d(x, w, b, pad, SLICE_BYTES);
    }

    /** {@link #conv2d(NDArray, NDArray, NDArray, int)}, slicing the batch above {@code sliceBytes} (0: never). */
    static NDArray conv2d(NDArray x, NDArray w, NDArray b, int pad, long sliceBytes) {
        Shape s = x.getShape();
        Shape k = w.getShape();
        long n = s.get(0);
        long taps = k.get(2) * k.get(3);
        long perImage = 4L * s.get(1) * taps * (s.get(2) + 2L * pad - k.get(2) + 1) * (s.get(3) + 2L * pad - k.get(3) + 1);
        long slices = sliceBytes <= 0 || taps == 1 ? 1 : Math.min(n, (n * perImage + sliceBytes - 1) / sliceBytes);
        if (slices <= 1) {
            return one(x, w, b, pad);
        }
        long size = (n + slices - 1) / slices;
        NDList parts = new NDList();
        for (long i = 0; i < n; i += size) {
            parts.add(one(x.get(new NDIndex("{}:{}", i, Math.min(n, i + size))), w, b, pad));
        }
        return NDArrays.concat(parts, 0);
    }

    private static NDArray one(NDArray x, NDArray w, NDArray b, int pad) {
        return Conv2d.conv2d(x, w, b, new Shape(1, 1), new Shape(pad, pad), new Shape(1, 1), 1).singletonOrThrow();
    }
}
