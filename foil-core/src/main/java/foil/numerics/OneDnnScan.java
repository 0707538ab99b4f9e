package foil.numerics;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The scan behind {@link ChannelPadding}'s rule ({@code foil doctor --scan-onednn}): the engine's conv2d with oneDNN
 * on, against the float64 reference, over input channels × filters × kernels 1, 3, 4 × strides 1, 2 on 9 × 9 images,
 * batch 2, at one thread and at the engine's count; then the same shapes padded as the padded route
 * pads them. Prints, per stride and input channel count, the filter counts that are wrong, and the totals.
 */
public final class OneDnnScan {
    /** The default channel counts: small, tails of 16 and of 32, and the widths Foil's networks use. */
    public static final int[] CHANNELS = {1, 3, 8, 16, 17, 32, 33, 48, 64, 65, 80, 96, 128};

    private OneDnnScan() {}

    /** Runs the scan over {@code channels} for inputs and filters; true when the padded shapes are all right. */
    public static boolean run(PrintStream out, int[] channels) {
        Numerics.ensure();
        Route before = Route.current();
        try {
            List<ConvolutionCheck> checks = new ArrayList<>();
            for (int c : channels) {
                for (int o : channels) {
                    for (int k : new int[] {1, 3, 4}) {
                        for (int s : new int[] {1, 2}) {
                            if (k > 1 || s == 1) {
                                checks.add(new ConvolutionCheck(2, c, 9, 9, o, k, s, k == 1 ? 0 : 1, false));
                            }
                        }
                    }
                }
            }
            int[] threads = SelfCheck.threadCounts();
            Route.set(Route.ONEDNN);
            Map<String, TreeSet<Integer>> wrong = new LinkedHashMap<>();
            int comparisons = 0;
            int failures = 0;
            for (ConvolutionCheck check : checks) {
                SelfCheck.Report raw = SelfCheck.run(List.of(check), threads, 3);
                comparisons += raw.results().size();
                failures += raw.failures().size();
                if (!raw.passed()) {
                    wrong.computeIfAbsent("stride " + check.stride() + " with " + check.c() + " input channels",
                            key -> new TreeSet<>()).add(check.o());
                }
            }
            Route.set(Route.ONEDNN_PADDED);
            SelfCheck.Report padded = SelfCheck.run(Numerics.routed(List.copyOf(checks)), threads, 3);
            wrong.forEach((key, filters) -> out.println("oneDNN wrong at " + key + ", filters " + filters));
            out.printf("scan: %d shapes at threads %s; with oneDNN as shipped %d of %d comparisons wrong; padded as Foil "
                    + "pads them %d wrong%n", checks.size(), java.util.Arrays.toString(threads), failures, comparisons,
                    padded.failures().size());
            for (CheckResult r : padded.failures()) {
                out.println(r.line());
            }
            return padded.passed();
        } finally {
            Route.set(before);
        }
    }
}
