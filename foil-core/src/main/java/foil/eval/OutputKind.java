package foil.eval;

/**
 * What a model's output row looks like: "probabilities" (in [0, 1], summing to 1), "log_probabilities"
 * (at most 0, log-sum-exp 0) or "logits" (anything else). Attacks and their losses expect logits: a softmax
 * inside the model flattens the cross-entropy's gradient, a classic way robustness is overstated.
 */
final class OutputKind {
    private OutputKind() {}

    static final float TOLERANCE = 1e-3f;

    static String of(float[] z, int off, int k) {
        boolean unit = true;
        boolean nonPositive = true;
        double sum = 0;
        double max = Double.NEGATIVE_INFINITY;
        for (int c = off; c < off + k; c++) {
            unit &= z[c] >= 0f && z[c] <= 1f;
            nonPositive &= z[c] <= 0f;
            sum += z[c];
            max = Math.max(max, z[c]);
        }
        if (unit && Math.abs(sum - 1) < TOLERANCE) {
            return "probabilities";
        }
        if (nonPositive) {
            double s = 0;
            for (int c = off; c < off + k; c++) {
                s += Math.exp(z[c] - max);
            }
            if (Math.abs(max + Math.log(s)) < TOLERANCE) {
                return "log_probabilities";
            }
        }
        return "logits";
    }
}
