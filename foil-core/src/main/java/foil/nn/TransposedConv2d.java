package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import foil.FoilException;

/**
 * A transposed convolution ("deconvolution") for the PyTorch engine, where DJL's {@code Conv2dTranspose}
 * throws "Not implemented": a stride-1 convolution over the input with {@code stride - 1} zeros inserted
 * between pixels and {@code kernel - 1 - padding} zeros around it. With square kernel k, stride s and padding p,
 * an H×W input gives (H - 1)·s - 2p + k rows and columns, as PyTorch's ConvTranspose2d. The inner convolution's
 * weight w (out × in × k × k) is the transposed convolution's kernel flipped in space: the definition
 * out[o, y·s - p + u, x·s - p + v] += in[i, y, x] · w[o, i, k-1-u, k-1-v].
 */
public final class TransposedConv2d extends AbstractBlock {
    private final int kernel;
    private final int stride;
    private final int padding;
    private final Conv2d conv;

    public TransposedConv2d(int filters, int kernel, int stride, int padding) {
        if (kernel < 1 || stride < 1 || padding < 0 || kernel - 1 - padding < stride - 1) {
            throw new FoilException("transposed convolution needs kernel - 1 - padding >= stride - 1 (kernel "
                    + kernel + ", stride " + stride + ", padding " + padding + ")");
        }
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.conv = addChildBlock("conv", Conv2d.builder().setKernelShape(new Shape(kernel, kernel))
                .setFilters(filters).build());
    }

    public Conv2d inner() {
        return conv;
    }

    /** The input with zeros inserted between pixels and the border the transposed convolution implies. */
    NDArray spread(NDArray x) {
        return spread(x, kernel, stride, padding);
    }

    /**
     * The transposed convolution of {@code x} with a convolution's own weight (out × in × k × k, as Conv2d holds
     * it): the gradient of that convolution with respect to its input, given the gradient at its output. Stays
     * differentiable in {@code weight}, which a gradient penalty needs.
     */
    public static NDArray ofConvolution(NDArray x, NDArray convWeight, int stride, int padding) {
        return ofConvolution(x, convWeight, stride, padding, false);
    }

    /** {@link #ofConvolution(NDArray, NDArray, int, int)}, its convolutions channels last where asked. */
    public static NDArray ofConvolution(NDArray x, NDArray convWeight, int stride, int padding, boolean channelsLast) {
        int k = (int) convWeight.getShape().get(2);
        // what is computed from the weight belongs to the weight's manager: move it to the input's scope
        NDArray transposed = convWeight.transpose(1, 0, 2, 3);
        transposed.attach(x.getManager());
        NDArray kernel = transposed.flip(2, 3);
        return of(x, kernel, null, k, stride, padding, channelsLast);
    }

    /**
     * conv(spread(x), weight) + bias, the transposed convolution with the inner convolution's weight. Where the
     * output splits evenly into stride × stride phases (DCGAN's kernel 4, stride 2, padding 1 among them), each
     * phase is computed as its own stride-1 convolution of x with the taps of the kernel that meet real pixels
     * (k/s × k/s of them) and the phases are interleaved: the same sums as over the zero-stuffed input, without
     * the s² - 1 of every s² multiplications by zero and the large im2col buffers they need.
     */
    static NDArray of(NDArray x, NDArray weight, NDArray bias, int k, int stride, int padding) {
        return of(x, weight, bias, k, stride, padding, false);
    }

    private static NDArray of(NDArray x, NDArray weight, NDArray bias, int k, int stride, int padding,
            boolean channelsLast) {
        long h = x.getShape().get(2);
        long w = x.getShape().get(3);
        long outH = (h - 1) * stride - 2L * padding + k;
        long outW = (w - 1) * stride - 2L * padding + k;
        if (stride == 1 && k - 1 - padding >= 0) { // the zero border as the convolution's own padding, not a copy
            return Convolution.conv2d(x, weight, bias, 1, k - 1 - padding, channelsLast);
        }
        if (k < stride || outH % stride != 0 || outW % stride != 0) {
            return Convolution.conv2d(spread(x, k, stride, padding), weight, bias, 0);
        }
        int q = k - 1 - padding; // where pixel 0 lies in the zero-stuffed input
        int pad = 0;
        for (int a = 0; a < stride; a++) { // the border every phase needs, on either side
            int t0 = Math.floorMod(q - a, stride);
            int c = Math.floorDiv(a + t0 - q, stride);
            int taps = (k - 1 - t0) / stride + 1;
            pad = Math.max(pad, Math.max(-c, (int) Math.max(outH / stride, outW / stride) + c + taps - 1
                    - (int) Math.min(h, w)));
        }
        NDArray xp = pad > 0 ? x.pad(new Shape(pad, pad, pad, pad), 0) : x;
        NDList rows = new NDList();
        for (int a = 0; a < stride; a++) {
            NDList cols = new NDList();
            for (int b = 0; b < stride; b++) {
                cols.add(phase(xp, weight, bias, k, stride, q, a, b, pad, outH / stride, outW / stride));
            }
            NDArray r = NDArrays.stack(cols, 4); // n × o × outH/s × outW/s × s(b)
            Shape rs = r.getShape();
            rows.add(r.reshape(rs.get(0), rs.get(1), rs.get(2), rs.get(3) * stride));
        }
        NDArray out = NDArrays.stack(rows, 3); // n × o × outH/s × s(a) × outW
        Shape os = out.getShape();
        return out.reshape(os.get(0), os.get(1), os.get(2) * stride, os.get(4));
    }

    /** Output rows ≡ a and columns ≡ b (mod stride): x's window convolved with the taps that meet pixels. */
    private static NDArray phase(NDArray xp, NDArray weight, NDArray bias, int k, int stride, int q, int a, int b,
            int pad, long rows, long cols) {
        int ta = Math.floorMod(q - a, stride);
        int tb = Math.floorMod(q - b, stride);
        int ca = Math.floorDiv(a + ta - q, stride) + pad;
        int cb = Math.floorDiv(b + tb - q, stride) + pad;
        int na = (k - 1 - ta) / stride + 1;
        int nb = (k - 1 - tb) / stride + 1;
        NDArray window = xp.get(new NDIndex(":, :, {}:{}, {}:{}", ca, ca + rows + na - 1, cb, cb + cols + nb - 1));
        NDArray taps = weight.get(new NDIndex(":, :, {}::{}, {}::{}", ta, stride, tb, stride));
        taps.attach(window.getManager()); // made from the weight, but belongs to this pass's scope
        return Convolution.conv2d(window, taps, bias, 0);
    }

    static NDArray spread(NDArray x, int kernel, int stride, int padding) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray out = x;
        if (stride > 1) {
            NDManager m = x.getManager();
            NDArray cols = x.reshape(n, c, h, 1, w, 1);
            cols = cols.concat(m.zeros(new Shape(n, c, h, 1, w, stride - 1), x.getDataType()), 5);
            cols = cols.concat(m.zeros(new Shape(n, c, h, stride - 1, w, stride), x.getDataType()), 3);
            out = cols.reshape(n, c, h * stride, w * stride);
        }
        int before = kernel - 1 - padding;
        int after = before - (stride - 1); // the zeros after the last pixel are already there
        return out.pad(new Shape(before, after, before, after), 0);
    }

    private Shape spreadShape(Shape in) {
        long grow = 2L * (kernel - 1 - padding) - (stride - 1);
        return new Shape(in.get(0), in.get(1), in.get(2) * stride + grow, in.get(3) * stride + grow);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray weight = parameterStore.getValue(conv.getParameters().get("weight"), x.getDevice(), training);
        NDArray bias = parameterStore.getValue(conv.getParameters().get("bias"), x.getDevice(), training);
        return new NDList(of(x, weight, bias, kernel, stride, padding));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return conv.getOutputShapes(new Shape[] {spreadShape(inputShapes[0])});
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        conv.initialize(manager, dataType, spreadShape(inputShapes[0]));
    }
}
