package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Parameter;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import foil.FoilException;

/**
 * Instance normalisation (Ulyanov et al. 2016), which DJL lacks on this engine: every sample's every channel is
 * normalised over its H×W pixels, y = (x - mean) / sqrt(var + eps) with the biased variance, then, when affine,
 * scaled and shifted per channel (gamma starts at 1, beta at 0). No running statistics: training and inference
 * compute the same thing, and no sample depends on the rest of its batch. Computed by the engine's fused layer
 * norm over the last two axes (each N, C slice on its own), as PyTorch's InstanceNorm2d without running
 * statistics.
 */
public final class InstanceNorm extends AbstractBlock {
    public static final float DEFAULT_EPS = 1e-5f;

    private final float eps;
    private final boolean affine;
    private final Parameter gamma;
    private final Parameter beta;

    /** eps 1e-5, without (false) or with (true) a learned per-channel scale and shift. */
    public InstanceNorm(boolean affine) {
        this(DEFAULT_EPS, affine);
    }

    public InstanceNorm(float eps, boolean affine) {
        if (!(eps > 0)) {
            throw new FoilException("instance norm needs eps > 0, not " + eps);
        }
        this.eps = eps;
        this.affine = affine;
        this.gamma = affine ? addParameter(Parameter.builder().setName("gamma").setType(Parameter.Type.GAMMA).build())
                : null;
        this.beta = affine ? addParameter(Parameter.builder().setName("beta").setType(Parameter.Type.BETA).build())
                : null;
    }

    public boolean affine() {
        return affine;
    }

    /** The normalisation of {@code x} (N×C×H×W) on its own, without the affine part. */
    public static NDArray normalize(NDArray x, float eps) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new FoilException("instance norm takes N×C×H×W, not " + s);
        }
        Shape plane = new Shape(s.get(2), s.get(3));
        NDManager m = x.getManager();
        // layer norm over (H, W) normalises each (n, c) slice; unit scale and zero shift as constants
        return LayerNorm.layerNorm(x, plane, m.ones(plane, x.getDataType()), m.zeros(plane, x.getDataType()), eps)
                .singletonOrThrow();
    }

    @Override
    protected NDList forwardInternal(ParameterStore parameterStore, NDList inputs, boolean training,
            PairList<String, Object> params) {
        NDArray x = inputs.singletonOrThrow();
        NDArray y = normalize(x, eps);
        if (affine) {
            long c = x.getShape().get(1);
            NDArray g = parameterStore.getValue(gamma, x.getDevice(), training).reshape(1, c, 1, 1);
            NDArray b = parameterStore.getValue(beta, x.getDevice(), training).reshape(1, c, 1, 1);
            y = y.mul(g).add(b);
        }
        return new NDList(y);
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {inputShapes[0]};
    }

    @Override
    public void prepare(Shape[] inputShapes) {
        if (affine) {
            Shape channels = new Shape(inputShapes[0].get(1));
            gamma.setShape(channels);
            beta.setShape(channels);
        }
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        // no children
    }
}
