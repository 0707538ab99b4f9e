package foil.numerics;

import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import foil.Foil;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The numerics self-check: every operation Foil runs on the engine, at the shapes Foil uses, compared with an
 * independent float64 reference at one thread and at all of the engine's threads. {@link #cheap()} is the part
 * that runs once in every process before training or attacking; {@link #full()} is what {@code foil doctor}
 * runs.
 */
public final class SelfCheck {
    private SelfCheck() {}

    /** Every check, cheap ones first. */
    public static List<OpCheck> full() {
        List<OpCheck> all = new ArrayList<>(cheap());
        all.addAll(List.of(
                // the cnn and bench-cnn at a training batch, and a 3-channel (RGB) first layer
                new ConvolutionCheck(16, 1, 28, 28, 32, 3, 1, 1, false),
                new ConvolutionCheck(16, 32, 14, 14, 64, 3, 1, 1, false),
                new ConvolutionCheck(8, 3, 32, 32, 32, 3, 1, 1, false),
                // the DCGAN critic and generator at width 64 (DCGAN's own)
                new ConvolutionCheck(8, 1, 28, 28, 64, 4, 2, 1, false),
                new ConvolutionCheck(8, 64, 14, 14, 128, 4, 2, 1, false),
                new TransposedConvolutionCheck(8, 128, 7, 7, 64, 4, 2, 1, false),
                new TransposedConvolutionCheck(8, 64, 14, 14, 1, 4, 2, 1, false),
                new LinearCheck(16, 3136, 256, false),
                new LinearCheck(64, 100, 6272, false),
                new MaxPoolCheck(16, 64, 14, 14, 2, false),
                new BatchNormCheck(16, 64, 14, 14, true, false),
                new BatchNormCheck(16, 64, 14, 14, false, false)));
        return all;
    }

    /** The cheap set: one of each operation at small batches, the one-channel first layer included. */
    public static List<OpCheck> cheap() {
        return List.of(
                // output channels not a multiple of 16, as in small TorchScript models: oneDNN 3.x's AVX-512 fault
                new ConvolutionCheck(2, 8, 7, 7, 4, 3, 1, 1, true),
                new ConvolutionCheck(2, 1, 14, 14, 32, 3, 1, 1, true),
                new ConvolutionCheck(2, 32, 7, 7, 64, 3, 1, 1, true),
                new ConvolutionCheck(2, 1, 14, 14, 32, 4, 2, 1, true),
                new ConvolutionCheck(2, 32, 8, 8, 64, 4, 2, 1, true),
                new TransposedConvolutionCheck(2, 64, 4, 4, 32, 4, 2, 1, true),
                new TransposedConvolutionCheck(2, 32, 7, 7, 1, 4, 2, 1, true),
                new LinearCheck(4, 784, 100, true),
                new MaxPoolCheck(2, 16, 14, 14, 2, true),
                new BatchNormCheck(4, 16, 7, 7, true, true),
                new BatchNormCheck(4, 16, 7, 7, false, true),
                new LossCheck(16, 10, true));
    }

    /** The thread counts a check runs at: one, and the engine's current count when that is more. */
    public static int[] threadCounts() {
        Foil.engine();
        int all = JniUtils.getNumThreads();
        return all > 1 ? new int[] {1, all} : new int[] {1};
    }

    /** Runs the checks at each thread count (inputs seeded by {@code seed}), restoring the thread count after. */
    public static Report run(List<OpCheck> checks, int[] threadCounts, long seed) {
        Foil.engine();
        int before = JniUtils.getNumThreads();
        List<CheckResult> results = new ArrayList<>();
        try {
            for (int threads : threadCounts) {
                JniUtils.setNumThreads(threads);
                for (OpCheck check : checks) {
                    results.addAll(run(check, threads, seed));
                }
            }
        } finally {
            JniUtils.setNumThreads(before);
        }
        return new Report(results);
    }

    static List<CheckResult> run(OpCheck check, int threads, long seed) {
        List<CheckResult> out = new ArrayList<>();
        try (NDManager m = NDManager.newBaseManager()) {
            for (Comparison c : check.run(m, new Random(seed ^ check.shape().hashCode()))) {
                int at = c.worstIndex();
                String detail = String.format(java.util.Locale.ROOT, "worst at %d: %.6g, expected %.6g", at,
                        c.engine()[at], c.reference()[at]);
                out.add(new CheckResult(check.op(), check.shape(), c.quantity(), threads, c.error(),
                        check.tolerance(), detail));
            }
        } catch (RuntimeException e) {
            out.add(new CheckResult(check.op(), check.shape(), "runs", threads, Double.POSITIVE_INFINITY,
                    check.tolerance(), "the engine failed: " + e.getMessage()));
        }
        return out;
    }

    /** What a self-check found. */
    public record Report(List<CheckResult> results) {
        public boolean passed() {
            return results.stream().allMatch(CheckResult::passed);
        }

        public List<CheckResult> failures() {
            return results.stream().filter(r -> !r.passed()).toList();
        }

        /** The operations that failed, each named once ("conv2d 4x1x28x28 * 32x1x3x3 s1 p1 input gradient"). */
        public String failedOps() {
            Set<String> names = new LinkedHashSet<>();
            for (CheckResult r : failures()) {
                names.add(r.op() + " " + r.shape() + " " + r.quantity() + " at " + r.threads() + " thread"
                        + (r.threads() == 1 ? "" : "s"));
            }
            return String.join("; ", names);
        }
    }
}
