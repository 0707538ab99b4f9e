package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import foil.metrics.Distortion;
import foil.model.Classifier;

/**
 * What an attack made of one batch: the adversarial images, their predictions, whether each one reached
 * the goal, the perturbation's norms per example, and for query-based (black-box) attacks the number of
 * queries of the model each image used ({@code null} for the others).
 */
public record AttackResult(NDArray adversarial, int[] predictions, boolean[] success, Distortion distortion,
        int[] queries) {

    /** A result that counts no queries (white-box attacks). */
    public AttackResult(NDArray adversarial, int[] predictions, boolean[] success, Distortion distortion) {
        this(adversarial, predictions, success, distortion, null);
    }

    /** Predicts {@code adversarial}, judges success against the goal and measures the perturbation. */
    public static AttackResult of(Classifier classifier, NDArray x, NDArray adversarial, NDArray labels,
            NDArray targets) {
        int[] pred = classifier.predict(adversarial);
        int[] goal = (targets == null ? labels : targets).toType(DataType.INT32, false).toIntArray();
        boolean[] success = new boolean[pred.length];
        for (int i = 0; i < pred.length; i++) {
            success[i] = targets == null ? pred[i] != goal[i] : pred[i] == goal[i];
        }
        return new AttackResult(adversarial, pred, success, Distortion.of(x, adversarial));
    }

    /** This result with the queries each image used. */
    public AttackResult withQueries(int[] perImage) {
        return new AttackResult(adversarial, predictions, success, distortion, perImage);
    }

    public int size() {
        return predictions.length;
    }
}
