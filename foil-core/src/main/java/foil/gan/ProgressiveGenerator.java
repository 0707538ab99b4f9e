package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import foil.nn.EqualizedConv2d;
import foil.nn.EqualizedLinear;
import foil.nn.PixelNorm;
import foil.nn.Resample;

/**
 * The generator of progressive growing (Karras et al. 2018, Table 2, reduced): the latent pixel-normalised, a dense
 * layer to base × base features, a 3 × 3 convolution, then per level nearest upsampling and two 3 × 3 convolutions,
 * each followed by LeakyReLU 0.2 and pixelwise feature normalisation; toRGB (1 × 1, linear) at the level being
 * trained. While level l fades in, its image is blended with the upsampled toRGB of level l − 1 by α. The image is
 * then upsampled (nearest) to the full resolution and its padding cropped, so every level's output has the data's
 * shape. Equalised learning rate throughout.
 */
public final class ProgressiveGenerator extends AbstractBlock {
    private final GrowthSchedule schedule;
    private final int latent;
    private final int[] widths;
    private final int pad;
    private final EqualizedLinear dense;
    private final EqualizedConv2d baseConv;
    private final EqualizedConv2d[] first;
    private final EqualizedConv2d[] second;
    private final EqualizedConv2d[] toRgb;
    private int level;
    private float alpha = 1f;

    public ProgressiveGenerator(int latent, int channels, GrowthSchedule schedule, int[] widths, int pad) {
        this.schedule = schedule;
        this.latent = latent;
        this.widths = widths.clone();
        this.pad = pad;
        int b = schedule.base();
        // the paper's first layer: gain √2/4 (a 4 × 4 "convolution" of the 1 × 1 latent)
        dense = addChildBlock("dense", new EqualizedLinear(latent, (long) widths[0] * b * b, (float) Math.sqrt(2) / 4,
                1f, 0f));
        baseConv = addChildBlock("conv0", new EqualizedConv2d(widths[0], widths[0], 3));
        int levels = schedule.levels();
        first = new EqualizedConv2d[levels];
        second = new EqualizedConv2d[levels];
        toRgb = new EqualizedConv2d[levels];
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                first[l] = addChildBlock("conv" + l + "a", new EqualizedConv2d(widths[l - 1], widths[l], 3));
                second[l] = addChildBlock("conv" + l + "b", new EqualizedConv2d(widths[l], widths[l], 3));
            }
            toRgb[l] = addChildBlock("toRgb" + l, new EqualizedConv2d(widths[l], channels, 1, 1f, true));
        }
    }

    public void at(int level, float alpha) {
        this.level = level;
        this.alpha = alpha;
    }

    private static NDArray act(NDArray x) {
        return PixelNorm.apply(Activation.leakyRelu(x, ProgressiveCritic.SLOPE));
    }

    /** G(z) at the current level and α, in the data's shape. */
    public NDArray apply(NDArray z) {
        int b = schedule.base();
        NDArray h = dense.apply(PixelNorm.apply(z)).reshape(z.getShape().get(0), widths[0], b, b);
        h = act(baseConv.apply(act(h)));
        NDArray previous = null;
        for (int l = 1; l <= level; l++) {
            previous = h;
            h = Resample.upNearest(h);
            h = act(second[l].apply(act(first[l].apply(h))));
        }
        NDArray rgb = toRgb[level].apply(h);
        if (level > 0 && alpha < 1f) {
            NDArray low = Resample.upNearest(toRgb[level - 1].apply(previous));
            rgb = low.mul(1 - alpha).add(rgb.mul(alpha));
        }
        return Resample.pad(Resample.upNearest(rgb, schedule.levels() - 1 - level), -pad, 0f);
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(apply(inputs.singletonOrThrow()));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int size = schedule.full() - 2 * pad;
        return new Shape[] {new Shape(inputShapes[0].get(0), toRgb[0].getParameters().get("weight").getShape().get(0),
                size, size)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            child.initialize(manager, dataType, new Shape(1, latent));
        }
    }
}
