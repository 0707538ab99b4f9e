package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import foil.FoilException;

/**
 * Pads the last two axes of N×C×H×W by reflection, as PyTorch's ReflectionPad2d (the edge pixel is not repeated):
 * with padding p, row -k is row k and row H-1+k is row H-1-k, for k = 1..p; likewise columns. Built from slices,
 * flips and concatenations, so it is differentiable on this engine.
 */
public final class ReflectionPad2d extends AbstractBlock {
    private final int padding;

    public ReflectionPad2d(int padding) {
        if (padding < 0) {
            throw new FoilException("reflection padding must be at least 0, not " + padding);
        }
        this.padding = padding;
    }

    /** {@code x} padded by reflection on both sides of axes 2 and 3; each must be longer than {@code p}. */
    public static NDArray pad(NDArray x, int p) {
        if (p == 0) {
            return x;
        }
        Shape s = x.getShape();
        if (s.dimension() != 4 || s.get(2) <= p || s.get(3) <= p) {
            throw new FoilException("reflection padding " + p + " needs N×C×H×W with H and W above it, not " + s);
        }
        return along(along(x, 2, p), 3, p);
    }

    private static NDArray along(NDArray x, int axis, int p) {
        long n = x.getShape().get(axis);
        String before = axis == 2 ? ":, :, 1:{}" : ":, :, :, 1:{}";
        String after = axis == 2 ? ":, :, {}:{}" : ":, :, :, {}:{}";
        NDArray head = x.get(new NDIndex(before, p + 1)).flip(axis);
        NDArray tail = x.get(new NDIndex(after, n - 1 - p, n - 1)).flip(axis);
        return head.concat(x, axis).concat(tail, axis);
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        return new NDList(pad(inputs.singletonOrThrow(), padding));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        Shape s = inputShapes[0];
        return new Shape[] {new Shape(s.get(0), s.get(1), s.get(2) + 2L * padding, s.get(3) + 2L * padding)};
    }
}
