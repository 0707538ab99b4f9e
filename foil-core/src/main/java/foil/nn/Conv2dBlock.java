package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * DJL's {@link Conv2d} block (the same parameters, saved and loaded the same way) computing its convolution through
 * {@link Convolution}, so it takes the route the numerics guard chose. Square kernels, one group, no dilation.
 */
public final class Conv2dBlock extends Conv2d {
    private Conv2dBlock(Conv2d.Builder builder) {
        super(builder);
    }

    /** {@code filters} filters of {@code kernel} × {@code kernel} at {@code stride}, zero padding {@code padding}. */
    public static Conv2dBlock of(int filters, int kernel, int stride, int padding, boolean bias) {
        return new Conv2dBlock(Conv2d.builder().setKernelShape(new Shape(kernel, kernel)).setFilters(filters)
                .optStride(new Shape(stride, stride)).optPadding(new Shape(padding, padding)).optBias(bias));
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray w = parameterStore.getValue(weight, x.getDevice(), training);
        NDArray b = includeBias ? parameterStore.getValue(bias, x.getDevice(), training) : null;
        return new NDList(Convolution.conv2d(x, w, b, (int) stride.get(0), (int) padding.get(0)));
    }
}
