package foil.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Athalye et al.'s (2018) and Croce and Hein's (2020) signs that a robustness figure overstates robustness,
 * judged from the per-image rows of an evaluation. Each check gives its evidence whether or not it raises a
 * warning; a warning names the check.
 */
public final class TrustChecks {
    private TrustChecks() {}

    /** PGD above the ensemble by more than this many points of robust accuracy is suspicious. */
    public static final double GAP = 0.05;

    /** A black-box or single-step attack that beats the iterative white-box ones on this share of images. */
    public static final double SHARE = 0.005;

    /** Whether two logit rows agree to float rounding. */
    static boolean same(float[] a, float[] b, int off, int k) {
        for (int c = off; c < off + k; c++) {
            float tol = 1e-5f * (1 + Math.abs(a[c]));
            if (!(Math.abs(a[c] - b[c]) <= tol)) {
                return false;
            }
        }
        return true;
    }

    /** The checks' evidence, keyed by check name. */
    public static Map<String, Map<String, Object>> evidence(List<ImageResult> rows, List<String> attacks,
            float[] eps) {
        Map<String, Map<String, Object>> out = new LinkedHashMap<>();
        List<ImageResult> first = atEps(rows, eps[0]);
        int n = first.size();
        int zero = 0;
        int nonfinite = 0;
        int probabilities = 0;
        int logProbabilities = 0;
        int notRepeatable = 0;
        int unboundedTried = 0;
        int unboundedRobust = 0;
        for (ImageResult r : first) {
            zero += r.gradient().equals("zero") ? 1 : 0;
            nonfinite += r.gradient().equals("nonfinite") ? 1 : 0;
            probabilities += r.outputs().equals("probabilities") ? 1 : 0;
            logProbabilities += r.outputs().equals("log_probabilities") ? 1 : 0;
            notRepeatable += r.repeatable() ? 0 : 1;
            if (r.unboundedFooled() != null) {
                unboundedTried++;
                unboundedRobust += r.unboundedFooled() ? 0 : 1;
            }
        }
        boolean gradientsChecked = first.stream().anyMatch(r -> !r.gradient().isEmpty());
        if (gradientsChecked) {
            out.put("zero_gradients", map("images", n, "zero", zero));
            out.put("nonfinite_gradients", map("images", n, "nonfinite", nonfinite));
        }
        out.put("outputs_probabilities", map("images", n, "probabilities", probabilities, "log_probabilities",
                logProbabilities));
        out.put("nondeterministic_forward", map("images", n, "differing", notRepeatable));
        if (unboundedTried > 0) {
            out.put("unbounded_eps_not_zero", map("images", unboundedTried, "robust_at_unbounded_eps",
                    unboundedRobust, "robust_accuracy_at_unbounded_eps", unboundedRobust / (double) unboundedTried));
        }
        List<Map<String, Object>> blackBox = new ArrayList<>();
        List<Map<String, Object>> singleStep = new ArrayList<>();
        List<Map<String, Object>> gap = new ArrayList<>();
        for (float e : eps) {
            List<ImageResult> at = atEps(rows, e);
            int byBlackBox = 0;
            int single = 0;
            int pgdRobust = 0;
            int checked = 0;
            int robust = 0;
            for (ImageResult r : at) {
                robust += r.robust() ? 1 : 0;
                if (!r.fooledBy().isEmpty() && !r.fooledBy().equals(ImageResult.CLEAN)
                        && !Ensemble.whiteBox(r.fooledBy())) {
                    byBlackBox++;
                }
                if (r.singleStepFooled() != null) {
                    checked++;
                    boolean whiteBoxFooled = !r.fooledBy().isEmpty() && Ensemble.whiteBox(r.fooledBy());
                    single += r.singleStepFooled() && !whiteBoxFooled ? 1 : 0;
                }
                if (r.cleanCorrect() && r.pgdFooled() != null && !r.pgdFooled()) {
                    pgdRobust++;
                }
            }
            if (attacks.stream().anyMatch(a -> !Ensemble.whiteBox(a))
                    && attacks.stream().anyMatch(Ensemble::whiteBox)) {
                blackBox.add(map("eps", e, "images", at.size(), "fooled_only_by_black_box", byBlackBox));
            }
            if (checked > 0) {
                singleStep.add(map("eps", e, "images", at.size(), "fooled_by_single_step_only", single));
                gap.add(map("eps", e, "pgd20_robust_accuracy", pgdRobust / (double) at.size(),
                        "ensemble_robust_accuracy", robust / (double) at.size()));
            }
        }
        if (!blackBox.isEmpty()) {
            out.put("black_box_beats_white_box", map("per_eps", blackBox));
        }
        if (!singleStep.isEmpty()) {
            out.put("single_step_beats_iterative", map("per_eps", singleStep));
            out.put("pgd_ensemble_gap", map("per_eps", gap));
        }
        out.put("robust_accuracy_not_monotone", map("curve", curve(rows, eps)));
        return out;
    }

    /** The warnings the evidence raises. */
    @SuppressWarnings("unchecked")
    public static List<Warning> warnings(Map<String, Map<String, Object>> evidence) {
        List<Warning> out = new ArrayList<>();
        Map<String, Object> e;
        if ((e = evidence.get("zero_gradients")) != null && (int) e.get("zero") > 0) {
            out.add(new Warning("zero_gradients", e.get("zero") + " of " + e.get("images") + " images have a "
                    + "cross-entropy input gradient that is exactly zero: gradient attacks cannot move them, so "
                    + "robustness may be masked (saturated softmax, or a non-differentiable layer)", e));
        }
        if ((e = evidence.get("nonfinite_gradients")) != null && (int) e.get("nonfinite") > 0) {
            out.add(new Warning("nonfinite_gradients", e.get("nonfinite") + " of " + e.get("images") + " images "
                    + "have NaN or infinite input gradients: gradient attacks on them are meaningless", e));
        }
        e = evidence.get("outputs_probabilities");
        if ((int) e.get("probabilities") + (int) e.get("log_probabilities") > 0) {
            out.add(new Warning("outputs_probabilities", "the model outputs (log-)probabilities, not logits, on "
                    + ((int) e.get("probabilities") + (int) e.get("log_probabilities")) + " of " + e.get("images")
                    + " images: attack losses expect logits; remove the final softmax before evaluating", e));
        }
        e = evidence.get("nondeterministic_forward");
        if ((int) e.get("differing") > 0) {
            out.add(new Warning("nondeterministic_forward", "two forward passes on the same images gave different "
                    + "outputs on " + e.get("differing") + " of " + e.get("images") + " images: a randomised "
                    + "defence needs attacks with expectation over transformation (EOT), which Foil does not run", e));
        }
        if ((e = evidence.get("unbounded_eps_not_zero")) != null && (int) e.get("robust_at_unbounded_eps") > 0) {
            out.add(new Warning("unbounded_eps_not_zero", "with a budget that covers the whole image box, "
                    + e.get("robust_at_unbounded_eps") + " of " + e.get("images") + " images still resisted: a "
                    + "sound attack fools them all, so the attacks are not working on this model", e));
        }
        if ((e = evidence.get("black_box_beats_white_box")) != null) {
            for (Map<String, Object> p : (List<Map<String, Object>>) e.get("per_eps")) {
                int k = (int) p.get("fooled_only_by_black_box");
                if (k > 0 && k >= SHARE * (int) p.get("images")) {
                    out.add(new Warning("black_box_beats_white_box", "at eps " + p.get("eps") + " the black-box "
                            + "attack fooled " + k + " images every white-box attack failed on: the model's "
                            + "gradients mislead (gradient masking)", p));
                }
            }
        }
        if ((e = evidence.get("single_step_beats_iterative")) != null) {
            for (Map<String, Object> p : (List<Map<String, Object>>) e.get("per_eps")) {
                int k = (int) p.get("fooled_by_single_step_only");
                if (k > 0 && k >= SHARE * (int) p.get("images")) {
                    out.add(new Warning("single_step_beats_iterative", "at eps " + p.get("eps") + " a single "
                            + "gradient step fooled " + k + " images the iterative white-box attacks failed on: "
                            + "the iterative attacks are not converging", p));
                }
            }
        }
        if ((e = evidence.get("pgd_ensemble_gap")) != null) {
            for (Map<String, Object> p : (List<Map<String, Object>>) e.get("per_eps")) {
                double pgd = (double) p.get("pgd20_robust_accuracy");
                double ens = (double) p.get("ensemble_robust_accuracy");
                if (pgd - ens > GAP) {
                    out.add(new Warning("pgd_ensemble_gap", String.format(java.util.Locale.ROOT, "at eps %s PGD-20 "
                            + "leaves %.1f%% robust but the ensemble %.1f%%: a PGD-only evaluation of this model "
                            + "would overstate its robustness", p.get("eps"), 100 * pgd, 100 * ens), p));
                }
            }
        }
        List<Map<String, Object>> curve = (List<Map<String, Object>>) evidence.get("robust_accuracy_not_monotone")
                .get("curve");
        for (int i = 1; i < curve.size(); i++) {
            double before = (double) curve.get(i - 1).get("robust_accuracy");
            double now = (double) curve.get(i).get("robust_accuracy");
            if (now > before) {
                out.add(new Warning("robust_accuracy_not_monotone", "robust accuracy rises from " + before
                        + " at eps " + curve.get(i - 1).get("eps") + " to " + now + " at eps "
                        + curve.get(i).get("eps") + ": a larger budget can only help a working attack",
                        Map.of("curve", curve)));
                break;
            }
        }
        if ((e = evidence.get("unbounded_eps_not_zero")) != null && !curve.isEmpty()) {
            double last = (double) curve.get(curve.size() - 1).get("robust_accuracy");
            double unbounded = (double) e.get("robust_accuracy_at_unbounded_eps");
            if (unbounded > last + 1e-9 && (int) e.get("images") >= 1 && out.stream()
                    .noneMatch(w -> w.name().equals("robust_accuracy_not_monotone"))) {
                out.add(new Warning("robust_accuracy_not_monotone", "robust accuracy at an unbounded budget ("
                        + unbounded + ") is above that at eps " + curve.get(curve.size() - 1).get("eps") + " ("
                        + last + ")", e));
            }
        }
        return out;
    }

    /** Clean accuracy (eps 0) then robust accuracy at each budget, ascending. */
    static List<Map<String, Object>> curve(List<ImageResult> rows, float[] eps) {
        float[] sorted = eps.clone();
        java.util.Arrays.sort(sorted);
        List<Map<String, Object>> out = new ArrayList<>();
        List<ImageResult> first = atEps(rows, eps[0]);
        out.add(map("eps", 0.0f, "robust_accuracy", first.stream().filter(ImageResult::cleanCorrect).count()
                / (double) Math.max(1, first.size())));
        for (float e : sorted) {
            List<ImageResult> at = atEps(rows, e);
            out.add(map("eps", e, "robust_accuracy", at.stream().filter(ImageResult::robust).count()
                    / (double) Math.max(1, at.size())));
        }
        return out;
    }

    static List<ImageResult> atEps(List<ImageResult> rows, float eps) {
        return rows.stream().filter(r -> r.eps() == eps).toList();
    }

    static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
