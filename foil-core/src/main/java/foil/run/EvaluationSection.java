package foil.run;

import foil.attack.Norm;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.Ensemble;
import foil.eval.EvaluationRun;
import foil.eval.RobustnessEvaluation;
import foil.eval.Shard;
import foil.eval.Warning;
import foil.io.RunDirectory;
import foil.model.Classifier;
import foil.model.Models;
import foil.model.TransformedLogits;
import foil.report.Charts;
import foil.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's robustness evaluation: AutoAttack's standard ensemble at L-inf 0.1 on the standard cnn, on the
 * PGD-trained one, and on the standard cnn with its logits multiplied by 1000 (gradients masked): robust
 * accuracy after each attack, one chart for the three, PGD-20 beside the ensemble, and the trust warnings.
 */
public record EvaluationSection(DataSource data, int n, long seed) {
    public static final String CHART = "evaluation.png";
    public static final float EPS = 0.1f;

    /** The models evaluated, by directory name under the demo's root. */
    static final List<String> KEYS = List.of("evaluate-standard", "evaluate-robust", "evaluate-masked");
    static final List<String> LABELS = List.of("standard cnn", "PGD-trained cnn", "standard cnn, logits x1000");

    @SuppressWarnings("unchecked")
    public Map<String, Object> execute(RunDirectory root, Classifier standard, Path robustModel, ImageDataset test) {
        List<String> attacks = Ensemble.version("standard");
        RobustnessEvaluation evaluation = new RobustnessEvaluation(Norm.LINF, new float[] {EPS}, attacks, n, 250,
                seed, Shard.WHOLE, true, Math.min(100, n));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("n", Math.min(n, test.size()));
        out.put("eps", EPS);
        out.put("attacks", attacks);
        List<double[]> bars = new ArrayList<>();
        for (int k = 0; k < KEYS.size(); k++) {
            RunDirectory dir = GeneratorQuality.sub(root, KEYS.get(k), Map.of("model", LABELS.get(k), "eps", EPS,
                    "version", "standard", "n", n), seed, data);
            Map<String, Object> m;
            if (k == 1) {
                try (Classifier robust = Models.load(robustModel, test.imageShape())) {
                    m = EvaluationRun.execute(evaluation, robust, test, dir, false, Map.of());
                }
            } else if (k == 2) {
                m = EvaluationRun.execute(evaluation, new TransformedLogits(standard, z -> z.mul(1000f),
                        "standard cnn with logits x1000"), test, dir, false, Map.of());
            } else {
                m = EvaluationRun.execute(evaluation, standard, test, dir, false, Map.of());
            }
            out.put(KEYS.get(k), summary(m));
            List<Map<String, Object>> per = (List<Map<String, Object>>) m.get("per_attack");
            double[] v = new double[per.size() + 1];
            v[0] = (double) m.get("clean_accuracy");
            for (int a = 0; a < per.size(); a++) {
                v[a + 1] = (double) per.get(a).get("robust_accuracy");
            }
            bars.add(v);
        }
        List<String> categories = new ArrayList<>();
        categories.add("clean");
        categories.addAll(attacks);
        Png.write(Charts.bars("Accuracy after each attack of AutoAttack's standard ensemble, L-inf eps " + EPS,
                "accuracy (cumulative)", categories, LABELS, bars.toArray(new double[0][])), root.resolve(CHART));
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> summary(Map<String, Object> m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("clean_accuracy", m.get("clean_accuracy"));
        s.put("robust_accuracy", m.get("robust_accuracy"));
        s.put("per_attack", m.get("per_attack"));
        Map<String, Object> gap = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) m.get(
                "checks")).get("pgd_ensemble_gap")).get("per_eps")).get(0);
        s.put("pgd20_robust_accuracy", gap.get("pgd20_robust_accuracy"));
        s.put("warnings", ((List<Warning>) m.get("warnings")).stream().map(w -> w.name() + ": " + w.message())
                .toList());
        s.put("seconds", m.get("seconds"));
        return s;
    }

    /** The report's table: one row per model. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> table(Map<String, Object> section) {
        Map<String, Object> t = new LinkedHashMap<>();
        for (int k = 0; k < KEYS.size(); k++) {
            Map<String, Object> s = (Map<String, Object>) section.get(KEYS.get(k));
            StringBuilder sb = new StringBuilder(String.format(java.util.Locale.ROOT, "clean %.3f", (double) s.get(
                    "clean_accuracy")));
            for (Map<String, Object> a : (List<Map<String, Object>>) s.get("per_attack")) {
                sb.append(String.format(java.util.Locale.ROOT, ", after %s %.3f", a.get("attack"), (double) a.get(
                        "robust_accuracy")));
            }
            sb.append(String.format(java.util.Locale.ROOT, "; PGD-20 alone %.3f", (double) s.get(
                    "pgd20_robust_accuracy")));
            List<String> w = (List<String>) s.get("warnings");
            sb.append(w.isEmpty() ? "; no trust warning" : "; warnings: " + String.join(" | ", w));
            t.put(LABELS.get(k), sb.toString());
        }
        return t;
    }
}
