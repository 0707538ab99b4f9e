package foil.numerics;

import java.util.Locale;

/**
 * How this process computes convolutions, as the numerics guard chose it: with oneDNN as the engine ships it,
 * with oneDNN on channel counts it computes right (inputs and filters padded with zeros to such counts, and each
 * new convolution shape checked against the float64 reference at its first use), or without oneDNN (PyTorch's
 * im2col and the BLAS matrix product, slower but right on every CPU Foil has met). Every convolution Foil runs goes
 * through {@code foil.nn.Convolution}, which reads the route.
 */
public enum Route {
    /** oneDNN's kernels on every shape: the self-check passed with them. */
    ONEDNN("oneDNN"),
    /** oneDNN on padded channel counts, each shape checked at its first use ({@link ChannelPadding}). */
    ONEDNN_PADDED("oneDNN on padded channel counts, each convolution shape checked at its first use"),
    /** No oneDNN: PyTorch's im2col convolutions. */
    IM2COL("PyTorch's im2col convolutions (oneDNN off)");

    /** What run.json and {@code foil doctor} say. */
    public final String description;

    private static volatile Route current = IM2COL;

    /**
     * Held while a check switches oneDNN or relies on its switch ({@link ShapeChecks}, {@link ModelRouteCheck}), so
     * that two threads' checks (Spark runs tasks as threads) never see each other's switch. Computations outside
     * the checks need no lock: with oneDNN switched off for a moment they take im2col, which is right everywhere.
     */
    static final Object CHECKS = new Object();

    Route(String description) {
        this.description = description;
    }

    /** The route's name in run.json ("onednn", "onednn-padded", "im2col"). */
    public String key() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The route with that {@link #key()}. */
    public static Route of(String key) {
        return valueOf(key.toUpperCase(Locale.ROOT).replace('-', '_'));
    }

    /** The route convolutions take now. */
    public static Route current() {
        return current;
    }

    /** Takes {@code r} for the rest of the process (or until set again), switching PyTorch's oneDNN to match: the guard's choice, and tests'. */
    public static synchronized void set(Route r) {
        Backends.setOneDnn(r != IM2COL);
        current = r;
    }

    /**
     * Leaves the padded oneDNN route for im2col, for the rest of the process, saying why in one line on standard
     * error (once). Right whatever is in flight: a convolution's backward pass takes the route current when it
     * runs, and im2col is right for every shape.
     */
    public static synchronized void fallBack(String why) {
        if (current != ONEDNN_PADDED) {
            return;
        }
        set(IM2COL);
        String line = why + "; Foil turned oneDNN off for the rest of this process";
        Numerics.fellBack(line);
        System.err.println("foil: " + line);
    }
}
