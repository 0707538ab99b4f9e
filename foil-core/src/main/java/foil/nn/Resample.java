package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;

/**
 * Changes of resolution by two, on n × c × h × w arrays, as the progressive and style-based GANs use them: nearest
 * and bilinear upsampling, average-pool downsampling and the [1, 2, 1] blur. Each is differentiable (autograd
 * records it) and each is checked against its definition in the tests.
 */
public final class Resample {
    private Resample() {}

    /** Nearest-neighbour upsampling by two: every pixel becomes a 2 × 2 block (PyTorch's mode "nearest"). */
    public static NDArray upNearest(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2);
    }

    /** Nearest upsampling by 2^times. */
    public static NDArray upNearest(NDArray x, int times) {
        for (int i = 0; i < times; i++) {
            x = upNearest(x);
        }
        return x;
    }

    /**
     * Bilinear upsampling by two with PyTorch's align_corners=false: output pixel 2i takes ¼ of input i - 1 and ¾ of
     * input i, output 2i + 1 takes ¾ of i and ¼ of i + 1, the edges clamped (a separable [¼, ¾] filter).
     */
    public static NDArray upBilinear(NDArray x) {
        return upBilinearAxis(upBilinearAxis(x, 2), 3);
    }

    private static NDArray upBilinearAxis(NDArray x, int axis) {
        long n = x.getShape().get(axis);
        String all = ":, :, ";
        NDArray prev = x.get(index(axis, "0:1")).concat(x.get(index(axis, "0:" + (n - 1))), axis);
        NDArray next = x.get(index(axis, "1:")).concat(x.get(index(axis, (n - 1) + ":" + n)), axis);
        NDArray even = x.mul(0.75f).add(prev.mul(0.25f));
        NDArray odd = x.mul(0.75f).add(next.mul(0.25f));
        Shape s = x.getShape();
        // interleave: stack on a new axis after `axis`, then merge the two
        NDArray both = even.expandDims(axis + 1).concat(odd.expandDims(axis + 1), axis + 1);
        long[] dims = s.getShape().clone();
        dims[axis] = 2 * n;
        return both.reshape(new Shape(dims));
    }

    private static NDIndex index(int axis, String range) {
        return new NDIndex(axis == 2 ? ":, :, " + range : ":, :, :, " + range);
    }

    /** 2 × 2 average pooling, stride 2 (the downsampling of Karras et al.'s discriminators). */
    public static NDArray downAverage(NDArray x) {
        return Pool.avgPool2d(x, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true);
    }

    /** Average-pool downsampling by 2^times. */
    public static NDArray downAverage(NDArray x, int times) {
        for (int i = 0; i < times; i++) {
            x = downAverage(x);
        }
        return x;
    }

    /**
     * The [1, 2, 1] ⊗ [1, 2, 1] / 16 low-pass filter of StyleGAN, each channel on its own, zero padding of one: the
     * filter that comes before downsampling and after upsampling there to stop aliasing.
     */
    public static NDArray blur(NDArray x) {
        long c = x.getShape().get(1);
        float[] k = {1, 2, 1, 2, 4, 2, 1, 2, 1};
        float[] w = new float[(int) c * 9];
        for (int i = 0; i < w.length; i++) {
            w[i] = k[i % 9] / 16f;
        }
        NDArray kernel = x.getManager().create(w, new Shape(c, 1, 3, 3));
        return Conv2d.conv2d(x, kernel, null, new Shape(1, 1), new Shape(1, 1), new Shape(1, 1), (int) c)
                .singletonOrThrow();
    }

    /** Pads every side by {@code p} pixels of {@code value}; a negative {@code p} crops. */
    public static NDArray pad(NDArray x, int p, float value) {
        if (p == 0) {
            return x;
        }
        if (p < 0) {
            long h = x.getShape().get(2);
            long w = x.getShape().get(3);
            return x.get(new NDIndex(":, :, {}:{}, {}:{}", -p, h + p, -p, w + p));
        }
        return x.pad(new Shape(p, p, p, p), value);
    }
}
