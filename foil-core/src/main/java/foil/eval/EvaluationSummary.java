package foil.eval;

import foil.report.Charts;
import foil.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The figures of an evaluation, computed from its per-image rows alone (so a merge of shards gives exactly
 * the figures of one run): clean accuracy, robust accuracy after each attack of the ensemble, the trust
 * checks' evidence and warnings.
 */
public final class EvaluationSummary {
    private EvaluationSummary() {}

    public static final String COUNTING = "robust accuracy counts the images the model classifies correctly both "
            + "clean and under every attack (RobustBench); attack success rates are over the images classified "
            + "correctly when clean";

    public static Map<String, Object> metrics(List<ImageResult> rows, List<String> attacks, float[] eps) {
        Map<String, Object> m = new LinkedHashMap<>();
        List<ImageResult> first = TrustChecks.atEps(rows, eps[0]);
        int n = first.size();
        long correct = first.stream().filter(ImageResult::cleanCorrect).count();
        m.put("n", n);
        m.put("clean_accuracy", n == 0 ? 0.0 : correct / (double) n);
        List<Map<String, Object>> results = new ArrayList<>();
        for (float e : eps) {
            results.add(atBudget(TrustChecks.atEps(rows, e), attacks, e, correct));
        }
        if (eps.length == 1) {
            m.putAll(results.get(0));
        } else {
            m.put("results", results);
        }
        m.put("counting", COUNTING);
        Map<String, Map<String, Object>> evidence = TrustChecks.evidence(rows, attacks, eps);
        m.put("warnings", TrustChecks.warnings(evidence));
        m.put("checks", evidence);
        m.put("differences_from_reference", Ensemble.DIFFERENCES);
        return m;
    }

    private static Map<String, Object> atBudget(List<ImageResult> at, List<String> attacks, float eps, long correct) {
        Map<String, Object> m = new LinkedHashMap<>();
        int n = at.size();
        m.put("eps", eps);
        long robust = at.stream().filter(ImageResult::robust).count();
        m.put("robust_accuracy", n == 0 ? 0.0 : robust / (double) n);
        List<Map<String, Object>> perAttack = new ArrayList<>();
        long left = correct;
        for (String a : attacks) {
            long fooled = at.stream().filter(r -> r.fooledBy().equals(a)).count();
            left -= fooled;
            perAttack.add(TrustChecks.map("attack", a, "robust_accuracy", n == 0 ? 0.0 : left / (double) n,
                    "fooled", fooled));
        }
        m.put("per_attack", perAttack);
        m.put("attack_success_rate", correct == 0 ? 0.0 : (correct - robust) / (double) correct);
        float[] l2 = successful(at, true);
        float[] linf = successful(at, false);
        m.put("median_l2", median(l2));
        m.put("median_linf", median(linf));
        m.put("norms_over", "successful adversarial examples");
        return m;
    }

    private static float[] successful(List<ImageResult> at, boolean l2) {
        return toArray(at.stream().filter(r -> !r.fooledBy().isEmpty() && !r.fooledBy().equals(ImageResult.CLEAN))
                .map(r -> l2 ? r.l2() : r.linf()).toList());
    }

    private static float[] toArray(List<Float> v) {
        float[] out = new float[v.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = v.get(i);
        }
        return out;
    }

    static double median(float[] v) {
        if (v.length == 0) {
            return Double.NaN;
        }
        float[] s = v.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2.0;
    }

    /** Robust accuracy after each attack, one group of bars per budget. */
    @SuppressWarnings("unchecked")
    public static void chart(Path path, Map<String, Object> metrics, List<String> attacks, float[] eps,
            String title) {
        List<Map<String, Object>> results = eps.length == 1 ? List.of(metrics)
                : (List<Map<String, Object>>) metrics.get("results");
        List<String> categories = new ArrayList<>();
        categories.add("clean");
        categories.addAll(attacks);
        List<String> series = new ArrayList<>();
        double[][] values = new double[results.size()][];
        for (int e = 0; e < results.size(); e++) {
            series.add("eps " + results.get(e).get("eps"));
            List<Map<String, Object>> per = (List<Map<String, Object>>) results.get(e).get("per_attack");
            values[e] = new double[categories.size()];
            values[e][0] = (double) metrics.get("clean_accuracy");
            for (int a = 0; a < per.size(); a++) {
                values[e][a + 1] = (double) per.get(a).get("robust_accuracy");
            }
        }
        Png.write(Charts.bars(title, "accuracy after the attack (cumulative)", categories, series, values), path);
    }
}
