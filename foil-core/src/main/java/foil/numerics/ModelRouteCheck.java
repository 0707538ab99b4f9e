package foil.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Locale;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A model whose convolutions Foil does not compute itself (a TorchScript module) cannot have its channels padded.
 * On the padded oneDNN route such a model is run once both ways before use: its logits and its input gradient on a
 * few random images, with oneDNN and with im2col (the route the self-check found right everywhere), at one thread
 * and at the engine's count. Where they agree, oneDNN computes this model's convolutions right and the process keeps
 * it; where they do not, the process falls back to im2col ({@link Route#fallBack}). The fault this guards against
 * is wrong by 15 to 100% of a gradient's scale, far above the 1e-3 allowed here for a different order of summation.
 */
public final class ModelRouteCheck {
    /** The largest difference allowed, relative to the largest magnitude of the quantity. */
    static final double TOLERANCE = 1e-3;

    private ModelRouteCheck() {}

    /**
     * Checks {@code model} (images of {@code inputShape} to logits, differentiable in the images) when the route is
     * the padded one, and falls back to im2col where the two routes disagree; {@code name} says which model.
     */
    public static void ensure(String name, Shape inputShape, Function<NDArray, NDArray> model) {
        if (Route.current() != Route.ONEDNN_PADDED) {
            return;
        }
        String disagreement = compare(inputShape, model);
        if (disagreement != null) {
            Route.fallBack("the convolutions of " + name + ", which Foil cannot pad, gave other numbers with oneDNN "
                    + "than without it (" + disagreement + ")");
        }
    }

    /** Null where the model's logits and input gradient agree with oneDNN on and off; otherwise what differs. */
    static String compare(Shape inputShape, Function<NDArray, NDArray> model) {
        synchronized (Route.CHECKS) {
            try {
                return disagreement(() -> run(inputShape, model, true), () -> run(inputShape, model, false));
            } finally {
                Backends.setOneDnn(Route.current() != Route.IM2COL);
            }
        }
    }

    /**
     * Whether to lay {@code model}'s inputs out channels last: where oneDNN is on, {@code -Dfoil.channelsLast} is not
     * false, and {@link #channelsLast} finds the same numbers both ways.
     */
    public static boolean useChannelsLast(Shape inputShape, Function<NDArray, NDArray> model) {
        return Boolean.parseBoolean(System.getProperty("foil.channelsLast", "true")) && Backends.oneDnn()
                && channelsLast(inputShape, model) == null;
    }

    /**
     * Null where {@code model} gives the same logits and input gradient (within {@link #TOLERANCE}) on inputs laid out
     * channels last ({@link foil.nn.ChannelsLast}) as on N×C×H×W ones, at one thread and at the engine's count, on
     * the current route; otherwise what differs, or why the model refused such inputs (a module that calls
     * {@code view} on its activations does).
     */
    public static String channelsLast(Shape inputShape, Function<NDArray, NDArray> model) {
        // not under Route.CHECKS: the model's first convolutions of a shape take that lock inside ShapeChecks' map,
        // and another thread's check may hold the map and wait for the lock; a route switched meanwhile can only
        // make the two layouts disagree, which keeps N×C×H×W
        Shape batch = new Shape(4).addAll(inputShape);
        try {
            return disagreement(() -> ShapeChecks.run(batch, x -> model.apply(foil.nn.ChannelsLast.of(x))),
                    () -> ShapeChecks.run(batch, model::apply));
        } catch (ai.djl.engine.EngineException e) {
            return "the module refused channels-last inputs: "
                    + String.valueOf(e.getMessage()).lines().findFirst().orElse("");
        }
    }

    /**
     * Null where {@code candidate}'s logits and input gradient agree with {@code reference}'s at every thread count
     * the self-check uses; otherwise the first that differs.
     */
    private static String disagreement(Supplier<float[][]> candidate, Supplier<float[][]> reference) {
        int before = JniUtils.getNumThreads();
        try {
            for (int t : SelfCheck.threadCounts()) {
                JniUtils.setNumThreads(t);
                float[][] a = candidate.get();
                float[][] b = reference.get();
                String[] names = {"logits", "input gradient"};
                for (int q = 0; q < 2; q++) {
                    double error = ShapeChecks.relativeError(a[q], b[q]);
                    if (!(error <= TOLERANCE)) {
                        return String.format(Locale.ROOT, "%s at %d thread%s off by %.2g", names[q], t,
                                t == 1 ? "" : "s", error);
                    }
                }
            }
            return null;
        } finally {
            JniUtils.setNumThreads(before);
        }
    }

    private static float[][] run(Shape inputShape, Function<NDArray, NDArray> model, boolean oneDnn) {
        Backends.setOneDnn(oneDnn);
        return ShapeChecks.run(new Shape(4).addAll(inputShape), model::apply);
    }
}
