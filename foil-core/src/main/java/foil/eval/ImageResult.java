package foil.eval;

/**
 * What an evaluation found for one test image at one budget: its prediction before and after the ensemble,
 * which attack fooled it first ({@code ""} when none did, {@code "clean"} when the model was already wrong),
 * the perturbation's norms, and the per-image evidence of the trust checks ({@code null} where a check was
 * not run for this image). Every figure of an evaluation is computed from these rows only, so shards merge
 * into exactly the figures of one run.
 */
public record ImageResult(int index, int label, int cleanPrediction, float eps, int adversarialPrediction,
        String fooledBy, float linf, float l2, String gradient, String outputs, boolean repeatable,
        Boolean pgdFooled, Boolean singleStepFooled, Boolean unboundedFooled) implements java.io.Serializable {

    public static final String CLEAN = "clean";

    public boolean cleanCorrect() {
        return cleanPrediction == label;
    }

    /** RobustBench's count: right on the clean image and on every attack's adversarial one. */
    public boolean robust() {
        return cleanCorrect() && fooledBy.isEmpty();
    }
}
