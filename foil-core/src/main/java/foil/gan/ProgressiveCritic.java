package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;
import foil.nn.CriticTape;
import foil.nn.EqualizedConv2d;
import foil.nn.EqualizedLinear;

/**
 * The discriminator of progressive growing (Karras et al. 2018, Table 2, reduced): images padded to the full
 * resolution with the background value −1, average-pooled down to the level being trained, fromRGB (1 × 1
 * convolution), then per level two 3 × 3 convolutions and a 2 × 2 average pool, and at the base resolution minibatch
 * standard deviation, a 3 × 3 convolution and two dense layers to one score. Every layer has the equalised learning
 * rate and LeakyReLU 0.2. While level l fades in, the new block's output is blended with fromRGB of the pooled image
 * at the lower resolution, by α. StyleGAN uses it at its full resolution, without fading. Every forward pass goes
 * through a {@link CriticTape}, so the input gradient for WGAN-GP and R1 is an expression in the weights.
 */
public final class ProgressiveCritic extends AbstractBlock {
    static final float SLOPE = 0.2f;
    private final GrowthSchedule schedule;
    private final int[] widths;
    private final int pad;
    private final int group;
    private final EqualizedConv2d[] fromRgb;
    private final EqualizedConv2d[] first;
    private final EqualizedConv2d[] second;
    private final EqualizedConv2d last;
    private final EqualizedLinear dense;
    private final EqualizedLinear score;
    private int level;
    private float alpha = 1f;

    /**
     * For images of {@code channels}, padded by {@code pad} on each side to the schedule's full resolution; widths[l]
     * channels at level l; minibatch-stddev groups of {@code group}.
     */
    public ProgressiveCritic(int channels, GrowthSchedule schedule, int[] widths, int pad, int group) {
        this.schedule = schedule;
        this.widths = widths.clone();
        this.pad = pad;
        this.group = group;
        int levels = schedule.levels();
        fromRgb = new EqualizedConv2d[levels];
        first = new EqualizedConv2d[levels];
        second = new EqualizedConv2d[levels];
        for (int l = 0; l < levels; l++) {
            fromRgb[l] = addChildBlock("fromRgb" + l, new EqualizedConv2d(channels, widths[l], 1));
            if (l > 0) {
                first[l] = addChildBlock("conv" + l + "a", new EqualizedConv2d(widths[l], widths[l], 3));
                second[l] = addChildBlock("conv" + l + "b", new EqualizedConv2d(widths[l], widths[l - 1], 3));
            }
        }
        int b = schedule.base();
        last = addChildBlock("last", new EqualizedConv2d(widths[0] + 1, widths[0], 3));
        dense = addChildBlock("dense", new EqualizedLinear((long) widths[0] * b * b, widths[0]));
        score = addChildBlock("score", new EqualizedLinear(widths[0], 1, 1f, 1f, 0f));
    }

    /** Trains level {@code level} with the new block blended in by {@code alpha}. */
    public void at(int level, float alpha) {
        this.level = level;
        this.alpha = alpha;
    }

    /** D(x) for images x of the data's shape, recorded on {@code tape}. */
    public CriticTape.Var forward(CriticTape tape, CriticTape.Var x) {
        CriticTape.Var full = tape.pad(x, pad, -1f);
        CriticTape.Var image = tape.downAverage(full, schedule.levels() - 1 - level);
        CriticTape.Var h = act(tape, tape.conv(image, fromRgb[level]));
        if (level > 0) {
            h = block(tape, level, h);
            if (alpha < 1f) {
                CriticTape.Var low = act(tape, tape.conv(tape.downAverage(image), fromRgb[level - 1]));
                h = tape.lerp(low, h, alpha);
            }
        }
        for (int l = level - 1; l >= 1; l--) {
            h = block(tape, l, h);
        }
        h = tape.minibatchStddev(h, group);
        h = act(tape, tape.conv(h, last));
        h = act(tape, tape.linear(tape.flatten(h), dense));
        return tape.linear(h, score);
    }

    private static CriticTape.Var act(CriticTape tape, CriticTape.Var x) {
        return tape.leakyRelu(x, SLOPE);
    }

    private CriticTape.Var block(CriticTape tape, int l, CriticTape.Var h) {
        h = act(tape, tape.conv(h, first[l]));
        h = act(tape, tape.conv(h, second[l]));
        return tape.downAverage(h);
    }

    /** ∇ₓD(x) per image, as an expression in x and the weights. */
    public NDArray inputGradient(NDArray x) {
        return scoreAndInputGradient(x)[1];
    }

    /** {D(x), ∇ₓD(x)} from one recorded pass: the score is the pass's own output, as a forward pass gives it. */
    public NDArray[] scoreAndInputGradient(NDArray x) {
        CriticTape tape = new CriticTape(true);
        CriticTape.Var in = tape.input(x);
        CriticTape.Var out = forward(tape, in);
        return new NDArray[] {out.value(), tape.inputGradient(out, in)};
    }

    /** The minibatch-stddev group size. */
    public int group() {
        return group;
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        CriticTape tape = new CriticTape(false);
        return new NDList(forward(tape, tape.input(inputs.singletonOrThrow())).value());
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        return new Shape[] {new Shape(inputShapes[0].get(0), 1)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            child.initialize(manager, dataType, new Shape(1, 1, 1, 1)); // each layer's weights have fixed shapes
        }
    }

    public int[] widths() {
        return widths.clone();
    }
}
