package foil.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import foil.nn.GradientScope;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

/**
 * On the padded oneDNN route, each convolution shape is compared with the float64 reference at its first use
 * (output, input, weight and bias gradients, at the engine's current thread count and a batch of at most two): the
 * channel rule of {@link ChannelPadding} comes from a scan, and a shape the scan did not cover is not taken on
 * trust. A shape that fails sends the process to the im2col route ({@link Route#fallBack}).
 */
public final class ShapeChecks {
    /**
     * One convolution shape as oneDNN sees it: padded channels, image size, kernel, stride, padding, threads, and
     * whether the input is laid out channels last (oneDNN's kernels for that layout are other code).
     */
    record Key(int c, int h, int w, int o, int k, int stride, int padding, int threads, boolean channelsLast) {}

    private static final Map<Key, Boolean> SEEN = new ConcurrentHashMap<>();

    private ShapeChecks() {}

    /**
     * Whether oneDNN computes this (already padded) convolution right; checks it the first time. A failure
     * switches the route to im2col before returning false.
     */
    public static boolean right(int n, int c, int h, int w, int o, int k, int stride, int padding) {
        return right(n, c, h, w, o, k, stride, padding, false);
    }

    /** {@link #right(int, int, int, int, int, int, int, int)} for an input laid out channels last or not. */
    public static boolean right(int n, int c, int h, int w, int o, int k, int stride, int padding,
            boolean channelsLast) {
        Key key = new Key(c, h, w, o, k, stride, padding, JniUtils.getNumThreads(), channelsLast);
        Boolean known = SEEN.get(key);
        if (known != null) {
            return known;
        }
        boolean ok = SEEN.computeIfAbsent(key, x -> check(Math.min(n, 2), x));
        if (!ok) {
            Route.fallBack("oneDNN gave wrong numbers for a convolution of shape " + ConvolutionCheck.describe(
                    Math.min(n, 2), c, h, w, o, c, k, stride, padding) + (channelsLast ? " channels last" : "")
                    + " (checked at its first use)");
        }
        return ok;
    }

    /** One depthwise blur shape: channels, image size, threads. */
    record DepthwiseKey(long c, long h, long w, int threads) {}

    private static final Map<DepthwiseKey, Boolean> DEPTHWISE = new ConcurrentHashMap<>();

    /**
     * Whether {@code engine} (a fixed depthwise convolution on oneDNN) gives {@code reference}'s outputs and input
     * gradients for images of c × h × w, checked the first time on a batch of at most two random images. A shape
     * that fails is not taken on oneDNN; the caller computes it with the reference.
     */
    public static boolean rightDepthwise(long n, long c, long h, long w, UnaryOperator<NDArray> engine,
            UnaryOperator<NDArray> reference) {
        DepthwiseKey key = new DepthwiseKey(c, h, w, JniUtils.getNumThreads());
        return DEPTHWISE.computeIfAbsent(key, k -> {
            Shape shape = new Shape(Math.min(n, 2), c, h, w);
            float[][] a;
            float[][] b;
            synchronized (Route.CHECKS) {
                a = run(shape, engine);
                b = run(shape, reference);
            }
            return relativeError(a[0], b[0]) <= 1e-5 && relativeError(a[1], b[1]) <= 1e-5;
        });
    }

    /** op's output and the gradient of sum(output · r) at the input, for random input and r (fixed seed). */
    static float[][] run(Shape shape, UnaryOperator<NDArray> op) {
        Random random = new Random(23);
        float[] x = Autograd.uniform(random, (int) shape.size(), 1);
        try (NDManager m = NDManager.newBaseManager(); GradientScope gc = GradientScope.open()) {
            NDArray input = m.create(x, shape);
            input.setRequiresGradient(true);
            NDArray y = op.apply(input);
            float[] up = Autograd.uniform(random, (int) y.getShape().size(), 1);
            gc.backward(y.mul(m.create(up, y.getShape())).sum());
            return new float[][] {y.toFloatArray(), input.getGradient().toFloatArray()};
        }
    }

    /**
     * The error of {@code a} against {@code b} as the self-check measures it ({@link Comparison#error}): the largest
     * difference relative to b's largest magnitude, infinite where a is not finite.
     */
    static double relativeError(float[] a, float[] b) {
        double[] reference = new double[b.length];
        for (int i = 0; i < b.length; i++) {
            reference[i] = b[i];
        }
        return new Comparison("", a, reference).error();
    }

    private static boolean check(int n, Key key) {
        ConvolutionCheck check = new ConvolutionCheck(n, key.c(), key.h(), key.w(), key.o(), key.k(), key.stride(),
                key.padding(), false);
        if (key.channelsLast()) {
            check = check.with(ConvolutionCheck.CHANNELS_LAST);
        }
        synchronized (Route.CHECKS) {
            return SelfCheck.run(java.util.List.of(check), new int[] {key.threads()}, 7).passed();
        }
    }
}
