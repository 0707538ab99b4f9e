package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
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
        int k = (int) convWeight.getShape().get(2);
        // what is computed from the weight belongs to the weight's manager: move it to the input's scope
        NDArray transposed = convWeight.transpose(1, 0, 2, 3);
        transposed.attach(x.getManager());
        NDArray kernel = transposed.flip(2, 3);
        return Conv2d.conv2d(spread(x, k, stride, padding), kernel).singletonOrThrow();
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
        return conv.forward(parameterStore, new NDList(spread(inputs.singletonOrThrow())), training, params);
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
