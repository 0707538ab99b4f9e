package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.pooling.Pool;
import foil.numerics.Route;
import foil.numerics.ShapeChecks;

/**
 * Changes of resolution by two, on n × c × h × w arrays, as the progressive and style-based GANs use them: nearest
 * and bilinear upsampling, average-pool downsampling and the [1, 2, 1] blur. Each is differentiable (autograd
 * records it) and each is checked against its definition in the tests.
 */
public final class Resample {
    private Resample() {}

    /** Nearest-neighbour upsampling by two: every pixel becomes a 2 × 2 block (PyTorch's mode "nearest"). */
    public static NDArray upNearest(NDArray x) {
        return x.repeat(2, 2).repeat(3, 2); // measured faster here than PyTorch's upsample_nearest2d, whose backward is slow
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
     * input i, output 2i + 1 takes ¾ of i and ¼ of i + 1, the edges clamped (a separable [¼, ¾] filter). Written as
     * that separable map, U_h · x · U_wᵀ with U_n the 2n × n matrix of those weights, two matrix products forward and
     * two back: DJL reaches PyTorch's upsample_bilinear2d only with anti-aliasing on, whose generic kernel took three
     * times as long to differentiate here (docs/notes/stop-15.md). The products run along the layout the convolutions
     * use ({@link Convolution#channelsLastForTraining}, see {@link #upBilinear(NDArray, boolean)}). The tests check it
     * against the definition and its gradient against the adjoint, in both layouts.
     */
    public static NDArray upBilinear(NDArray x) {
        return upBilinear(x, Convolution.channelsLastForTraining());
    }

    /**
     * Bilinear upsampling by two (see {@link #upBilinear(NDArray)}), its products taken along x's layout: with
     * {@code channelsLast}, x laid out N×H×W×C is read as n × h × (w·c) and as (n·2h) × w × c, both views, and the
     * result is laid out N×H×W×C too, so no pass reorders it before or after a channels-last convolution; otherwise
     * along N×C×H×W. Either reading gives the same values for any layout of x (a copy is made where x is not laid out
     * as assumed).
     */
    public static NDArray upBilinear(NDArray x, boolean channelsLast) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        int h = (int) s.get(2);
        int w = (int) s.get(3);
        NDManager m = x.getManager();
        NDArray rows = m.create(upWeights(h, false), new Shape(2L * h, h));
        if (channelsLast && c > 1) { // one channel: both layouts are the same memory, and N×C×H×W's products are larger
            NDArray columns = m.create(upWeights(w, false), new Shape(2L * w, w));
            NDArray tall = rows.matMul(x.transpose(0, 2, 3, 1).reshape(n, h, w * c)).reshape(n * 2 * h, w, c);
            return columns.matMul(tall).reshape(n, 2L * h, 2L * w, c).transpose(0, 3, 1, 2);
        }
        NDArray columns = m.create(upWeights(w, true), new Shape(w, 2L * w));
        return rows.matMul(x).matMul(columns);
    }

    /** U_n (2n × n, row-major), or its transpose (n × 2n) where {@code transposed}. */
    private static float[] upWeights(int n, boolean transposed) {
        float[] u = new float[2 * n * n];
        for (int i = 0; i < n; i++) {
            add(u, n, transposed, 2 * i, Math.max(i - 1, 0), 0.25f);
            add(u, n, transposed, 2 * i, i, 0.75f);
            add(u, n, transposed, 2 * i + 1, i, 0.75f);
            add(u, n, transposed, 2 * i + 1, Math.min(i + 1, n - 1), 0.25f);
        }
        return u;
    }

    private static void add(float[] u, int n, boolean transposed, int out, int in, float weight) {
        u[transposed ? in * 2 * n + out : out * n + in] += weight;
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
        Shape s = x.getShape();
        int c = (int) s.get(1);
        boolean depthwise = Route.current() == Route.IM2COL || c >= 3 && ShapeChecks.rightDepthwise(
                s.get(0), c, s.get(2), s.get(3), Resample::depthwiseBlur, Resample::separableBlur);
        return depthwise ? depthwiseBlur(x) : separableBlur(x);
    }

    /**
     * The blur as one depthwise convolution (a group per channel). oneDNN computes it right here from three
     * channels up (its one-channel case is the single-filter convolution it gets wrong), checked per shape at first
     * use against {@link #separableBlur}.
     */
    static NDArray depthwiseBlur(NDArray x) {
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

    /**
     * The blur without a convolution kernel: [1, 2, 1] / 4 along the rows then the columns, as sums of shifted
     * copies. The same numbers; slower to differentiate (each shift's backward fills a zero tensor).
     */
    static NDArray separableBlur(NDArray x) {
        return blurAlong(blurAlong(x, 3), 2);
    }

    /** (x[i - 1] + 2 x[i] + x[i + 1]) / 4 along {@code axis} (2: rows, 3: columns), zero beyond the border. */
    private static NDArray blurAlong(NDArray x, int axis) {
        long size = x.getShape().get(axis);
        NDArray p = x.pad(axis == 3 ? new Shape(1, 1) : new Shape(0, 0, 1, 1), 0);
        String at = axis == 3 ? ":, :, :, {}:{}" : ":, :, {}:{}";
        NDArray before = p.get(new NDIndex(at, 0, size));
        NDArray after = p.get(new NDIndex(at, 2, size + 2));
        return before.add(after).add(x.mul(2)).div(4);
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
