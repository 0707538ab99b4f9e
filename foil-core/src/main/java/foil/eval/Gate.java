package foil.eval;

import foil.FoilException;
import foil.io.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A pass/fail gate on an evaluation's metrics for builds: robust accuracy (and optionally clean accuracy) at
 * least the thresholds, and optionally no trust warning. Writes a JUnit XML report so CI systems show it.
 */
public record Gate(double minRobustAccuracy, Double minCleanAccuracy, boolean failOnWarnings) {

    public Gate {
        if (!(minRobustAccuracy >= 0 && minRobustAccuracy <= 1)
                || (minCleanAccuracy != null && !(minCleanAccuracy >= 0 && minCleanAccuracy <= 1))) {
            throw new FoilException("the accuracy thresholds must be fractions in [0, 1] (0.6 for 60%)");
        }
    }

    /** One requirement and whether it held. */
    public record Check(String name, boolean passed, String detail) {}

    @SuppressWarnings("unchecked")
    public List<Check> judge(Map<String, Object> metrics) {
        List<Check> out = new ArrayList<>();
        double robust = ((Number) metrics.get("robust_accuracy")).doubleValue();
        double clean = ((Number) metrics.get("clean_accuracy")).doubleValue();
        String at = metrics.get("norm") + " eps " + metrics.get("eps");
        out.add(new Check(String.format(Locale.ROOT, "robust accuracy at %s >= %.4f", at, minRobustAccuracy),
                robust >= minRobustAccuracy, String.format(Locale.ROOT, "robust accuracy %.4f", robust)));
        if (minCleanAccuracy != null) {
            out.add(new Check(String.format(Locale.ROOT, "clean accuracy >= %.4f", minCleanAccuracy),
                    clean >= minCleanAccuracy, String.format(Locale.ROOT, "clean accuracy %.4f", clean)));
        }
        if (failOnWarnings) {
            List<Warning> w = (List<Warning>) metrics.get("warnings");
            out.add(new Check("no trust warnings", w.isEmpty(), w.isEmpty() ? "none"
                    : String.join("; ", w.stream().map(x -> x.name() + ": " + x.message()).toList())));
        }
        return out;
    }

    public static boolean passed(List<Check> checks) {
        return checks.stream().allMatch(Check::passed);
    }

    /** The JUnit XML report of the checks. */
    @SuppressWarnings("unchecked")
    public static void writeJunit(Path file, List<Check> checks, Map<String, Object> metrics, double seconds) {
        long failures = checks.stream().filter(c -> !c.passed()).count();
        StringBuilder sb = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        sb.append(String.format(Locale.ROOT, "<testsuite name=\"foil verify\" tests=\"%d\" failures=\"%d\" "
                + "errors=\"0\" skipped=\"0\" time=\"%.3f\">\n", checks.size(), failures, seconds));
        for (Check c : checks) {
            sb.append("  <testcase classname=\"foil.verify\" name=\"").append(xml(c.name())).append("\">");
            if (!c.passed()) {
                sb.append("<failure message=\"").append(xml(c.detail())).append("\"/>");
            }
            sb.append("</testcase>\n");
        }
        sb.append("  <system-out>").append(xml("model " + metrics.get("model") + "; " + c(metrics))).append(
                "</system-out>\n</testsuite>\n");
        try {
            AtomicFiles.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new FoilException("cannot write " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    private static String c(Map<String, Object> m) {
        return "per_attack " + m.get("per_attack") + "; warnings " + ((List<Warning>) m.get("warnings")).stream()
                .map(Warning::name).toList();
    }

    private static String xml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
