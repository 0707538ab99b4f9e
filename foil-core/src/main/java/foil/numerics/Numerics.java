package foil.numerics;

import foil.Foil;
import foil.FoilException;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The numerics guard: before the first training step or attack of a process, the cheap self-check compares the
 * engine with independent references, and a failure is never silent. Where the engine's oneDNN kernels give
 * wrong numbers (seen on AVX-512 AMD EPYC CPUs: convolution input gradients with output channels not a multiple
 * of 16), Foil keeps oneDNN on channel counts it computes right ({@link ChannelPadding}, {@link Route}) or, where
 * that fails too, turns it off for the process, checks again and says so in one line; where nothing helps, every use
 * of the engine stops with one line saying why.
 *
 * <p>The mode comes from the system property {@code foil.onednn} or the environment variable
 * {@code FOIL_ONEDNN}: {@code auto} (the default: keep oneDNN when the check passes with it, else oneDNN on padded
 * channel counts when that passes, else im2col), {@code padded} (the same; the name of the opt-in this was until
 * the padded route's unrepeatable runs were traced to DJL's freed scalars, docs/notes/djl-freed-scalars.md),
 * {@code on} (oneDNN whatever the check says, a failure stops), {@code off} (never oneDNN: im2col).
 */
public final class Numerics {
    /** How Foil decides whether PyTorch may use oneDNN. */
    public enum Mode { AUTO, PADDED, ON, OFF }

    /**
     * What the guard found: the engine, the CPU, the check's outcome, whether oneDNN is in use, and the line it
     * printed (null when all was well). Written into every run.json.
     */
    public record Status(String engine, String cpu, List<String> vectorIsa, List<Integer> threads, String mode,
            boolean oneDnn, String route, boolean passed, int checks, double checkMillis, String oneDnnFailures,
            String message, String nativeMemory) {
        /** This status after the padded route fell back to im2col, for {@code why}. */
        Status fellBack(String why) {
            return new Status(engine, cpu, vectorIsa, threads, mode, false, Route.IM2COL.key(), passed, checks,
                    checkMillis, oneDnnFailures, message == null ? why : message + "; later: " + why, nativeMemory);
        }
    }

    private static volatile Status status;
    /** The status as the guard decided it, before any fall-back. */
    private static Status decided;
    private static boolean running;

    private Numerics() {}

    /** The mode asked for by {@code foil.onednn} or {@code FOIL_ONEDNN} (auto when neither is set). */
    public static Mode mode() {
        String v = System.getProperty("foil.onednn", System.getenv("FOIL_ONEDNN"));
        if (v == null || v.isBlank()) {
            return Mode.AUTO;
        }
        try {
            return Mode.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FoilException("FOIL_ONEDNN (or -Dfoil.onednn) is '" + v + "': use auto, padded, on or off");
        }
    }

    /**
     * Runs the cheap self-check once per process (later calls return its status at once) and applies its
     * remedy; throws a {@link FoilException} naming the failed operations when the engine cannot be trusted.
     * Returns null when called from inside the check itself.
     */
    public static Status ensure() {
        Status s = status;
        if (s == null) {
            synchronized (Numerics.class) {
                if (status == null) {
                    if (running) {
                        return null;
                    }
                    running = true;
                    try {
                        status = decide(mode(), SelfCheck::cheap);
                        decided = status;
                    } finally {
                        running = false;
                    }
                    if (status.passed() && status.message() != null) { // a failure speaks through its exception
                        System.err.println("foil: " + status.message());
                    }
                }
                s = status;
            }
        }
        if (!s.passed()) {
            throw new FoilException(s.message());
        }
        return s;
    }

    /** Records a fall-back from the padded oneDNN route ({@link Route#fallBack}) in the status run.json reads. */
    static synchronized void fellBack(String why) {
        if (status != null) {
            status = status.fellBack(why);
        }
    }

    /**
     * Takes the route the guard chose at the start of the process again, undoing a fall-back or a test's switch
     * (tests use it to leave the process as they found it).
     */
    public static synchronized void reapply() {
        ensure();
        status = decided;
        Route.set(Route.of(decided.route()));
    }

    /** The guard's status without running anything: null before the first {@link #ensure()}. */
    public static Status status() {
        return status;
    }

    /**
     * Decides the route for {@code mode} with the given checks: the guard's logic, public so a test can hand it
     * checks that fail where oneDNN is on. Leaves oneDNN switched as the status says.
     */
    public static Status decide(Mode mode, Supplier<List<OpCheck>> checks) {
        Foil.engine();
        Cpu cpu = Cpu.detect();
        int[] threads = SelfCheck.threadCounts();
        long start = System.nanoTime();
        Backends.setNnpack(false);
        Route.set(mode == Mode.OFF ? Route.IM2COL : Route.ONEDNN);
        SelfCheck.Report first = SelfCheck.run(checks.get(), threads, 1);
        SelfCheck.Report last = first;
        String oneDnnFailures = mode == Mode.OFF ? null : first.passed() ? "" : first.failedOps();
        String message;
        boolean padded = mode == Mode.AUTO || mode == Mode.PADDED;
        if (!first.passed() && padded) {
            Route.set(Route.ONEDNN_PADDED);
            last = SelfCheck.run(routed(checks.get()), threads, 1);
        }
        if (first.passed()) {
            message = null; // oneDNN as shipped, or im2col as asked, is right here
        } else if (padded && last.passed()) {
            message = "the engine's oneDNN kernels gave wrong numbers on this CPU (" + cpu.model() + "): "
                    + shorten(first) + "; Foil keeps oneDNN on channel counts it computes right (padding "
                    + "the others with zeros) and checks each convolution shape at its first use "
                    + "(FOIL_ONEDNN=off for im2col, on to keep oneDNN unpadded)";
        } else if (padded) {
            Route.set(Route.IM2COL);
            last = SelfCheck.run(checks.get(), threads, 1);
            message = last.passed()
                    ? "the engine's oneDNN kernels gave wrong numbers on this CPU (" + cpu.model() + "): "
                            + shorten(first) + ", on padded channel counts too; Foil turned oneDNN off for this "
                            + "process, and the self-check passes without it"
                    : "the engine gives wrong numbers on this CPU (" + cpu.model() + ") with oneDNN and "
                            + "without it: " + shorten(last) + "; run 'foil doctor' for every check";
        } else {
            message = "the engine gives wrong numbers on this CPU (" + cpu.model() + ") with oneDNN "
                    + (mode == Mode.ON ? "on (FOIL_ONEDNN=on; unset it to let Foil route around oneDNN)" : "off")
                    + ": " + shorten(first) + "; run 'foil doctor' for every check";
        }
        double millis = (System.nanoTime() - start) / 1e6;
        return new Status("PyTorch " + Foil.pytorchVersion() + " (DJL " + Foil.djlVersion() + ")", cpu.model(),
                cpu.vectorIsa(), java.util.Arrays.stream(threads).boxed().toList(), mode.name().toLowerCase(Locale.ROOT),
                Backends.oneDnn(), Route.current().key(), last.passed(), last.results().size(), millis,
                oneDnnFailures, message, NativeMemory.tune());
    }

    /**
     * The checks as the current route computes them: on the padded oneDNN route, every convolution check's kernel
     * run on padded channel counts; otherwise the checks as they are.
     */
    public static List<OpCheck> routed(List<OpCheck> checks) {
        if (Route.current() != Route.ONEDNN_PADDED) {
            return checks;
        }
        return checks.stream().map(c -> c instanceof ConvolutionCheck conv
                ? (OpCheck) conv.with(ChannelPadding.around(conv.kernel())) : c).toList();
    }

    private static String shorten(SelfCheck.Report r) {
        List<CheckResult> f = r.failures();
        CheckResult worst = f.get(0);
        String more = f.size() > 1 ? " and " + (f.size() - 1) + " more" : "";
        return String.format(Locale.ROOT, "%s %s %s at %d thread%s off by %.2g%s", worst.op(), worst.shape(),
                worst.quantity(), worst.threads(), worst.threads() == 1 ? "" : "s", worst.error(), more);
    }
}
