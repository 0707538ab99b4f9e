package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/** A fully connected layer y = x·(c·λ·W)ᵀ + λ·b with the {@link Equalized equalised learning rate}. */
public final class EqualizedLinear extends AbstractBlock {
    private final Equalized eq;
    private final long in;
    private final long out;

    public EqualizedLinear(long in, long out, float gain, float lrMultiplier, float biasInit) {
        this.in = in;
        this.out = out;
        this.eq = new Equalized("", new Shape(out, in), in, gain, lrMultiplier, true, biasInit);
        addParameter(eq.weightParameter());
        addParameter(eq.biasParameter());
    }

    /** He's gain √2, multiplier 1, bias 0. */
    public EqualizedLinear(long in, long out) {
        this(in, out, (float) Math.sqrt(2), 1f, 0f);
    }

    public Equalized equalized() {
        return eq;
    }

    /** y for x (n × in), in x's scope. */
    public NDArray apply(NDArray x) {
        return x.dot(eq.weight(x.getManager()).transpose()).add(eq.bias(x.getManager()));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), out)};
    }

    public long in() {
        return in;
    }

    public long out() {
        return out;
    }
}
