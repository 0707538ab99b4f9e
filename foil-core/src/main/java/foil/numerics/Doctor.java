package foil.numerics;

import ai.djl.pytorch.jni.JniUtils;
import foil.Foil;
import foil.FoilException;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * What {@code foil doctor} does: says which engine, CPU and thread counts Foil runs on, what the numerics guard
 * decided, then runs every check of {@link SelfCheck#full()} at one thread and at all threads, one line each.
 */
public final class Doctor {
    private Doctor() {}

    /** Prints the report to {@code out}; returns whether every check passed (the guard's included). */
    public static boolean run(PrintStream out, List<OpCheck> checks) {
        Numerics.Status guard;
        boolean guardFailed = false;
        try {
            guard = Numerics.ensure();
        } catch (FoilException e) {
            guard = Numerics.status();
            guardFailed = true;
        }
        Cpu cpu = Cpu.detect();
        out.println("engine    " + Foil.engine().getEngineName() + " " + Foil.pytorchVersion() + " (DJL "
                + Foil.djlVersion() + "), Java " + System.getProperty("java.version") + ", device "
                + Foil.device());
        out.println("cpu       " + cpu.model() + ", " + cpu.cores() + " cores; vector instructions: "
                + String.join(" ", cpu.vectorIsa()));
        out.println("threads   PyTorch intra-op " + JniUtils.getNumThreads() + ", inter-op "
                + JniUtils.getNumInteropThreads() + "; checks run at " + guard.threads());
        out.println("oneDNN    " + (guard.oneDnn() ? "on" : "off") + " (FOIL_ONEDNN=" + guard.mode() + "); convolutions: "
                + Route.of(guard.route()).description
                + (guard.oneDnnFailures() != null && !guard.oneDnnFailures().isEmpty()
                        ? "; with it on, the self-check failed: " + guard.oneDnnFailures() : ""));
        out.println("memory    " + guard.nativeMemory());
        out.println(String.format(Locale.ROOT, "guard     cheap self-check: %d comparisons in %.0f ms, %s", guard.checks(),
                guard.checkMillis(), guard.passed() ? "passed" : "FAILED"));
        if (guard.message() != null) {
            out.println("          " + guard.message());
        }
        SelfCheck.Report report = SelfCheck.run(Numerics.routed(checks), SelfCheck.threadCounts(), 2);
        for (CheckResult r : report.results()) {
            out.println(r.line());
        }
        if (report.passed() && !guardFailed) {
            out.println("doctor: all " + report.results().size() + " checks passed");
            return true;
        }
        out.println("doctor: " + report.failures().size() + " of " + report.results().size() + " checks failed"
                + (report.passed() ? "" : ": " + report.failedOps()));
        return false;
    }
}
