package foil.eval;

import java.util.List;
import java.util.Map;

/** An evaluation's per-image rows and its figures, as metrics.json holds them. */
public record EvaluationResult(List<ImageResult> rows, Map<String, Object> metrics) {

    public double cleanAccuracy() {
        return ((Number) metrics.get("clean_accuracy")).doubleValue();
    }

    /** Robust accuracy at the (first) budget, counted as RobustBench counts it. */
    @SuppressWarnings("unchecked")
    public double robustAccuracy() {
        Object r = metrics.get("robust_accuracy");
        if (r == null) {
            r = ((List<Map<String, Object>>) metrics.get("results")).get(0).get("robust_accuracy");
        }
        return ((Number) r).doubleValue();
    }

    @SuppressWarnings("unchecked")
    public List<Warning> warnings() {
        return (List<Warning>) metrics.get("warnings");
    }
}
