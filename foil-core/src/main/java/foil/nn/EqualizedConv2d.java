package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A k × k convolution, stride 1, padding k/2 (the size is kept), with the {@link Equalized equalised learning
 * rate}: its weight is used as w·√2/√(in·k²).
 */
public final class EqualizedConv2d extends AbstractBlock {
    private final Equalized eq;
    private final int kernel;
    private final long out;

    public EqualizedConv2d(long in, long out, int kernel, float gain, boolean bias) {
        this.kernel = kernel;
        this.out = out;
        this.eq = new Equalized("", new Shape(out, in, kernel, kernel), in * kernel * kernel, gain, 1f, bias, 0f);
        addParameter(eq.weightParameter());
        if (bias) {
            addParameter(eq.biasParameter());
        }
    }

    public EqualizedConv2d(long in, long out, int kernel) {
        this(in, out, kernel, (float) Math.sqrt(2), true);
    }

    public Equalized equalized() {
        return eq;
    }

    public int padding() {
        return kernel / 2;
    }

    /** The convolution of x (n × in × h × w), in x's scope. */
    public NDArray apply(NDArray x) {
        NDArray w = eq.weight(x.getManager());
        NDArray b = eq.bias(x.getManager());
        int p = padding();
        return Convolution.conv2d(x, w, b, p);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), out, s.get(2), s.get(3))};
    }
}
