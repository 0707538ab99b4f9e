package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.model.Classifier;

/**
 * An adversarial attack on one batch. Untargeted when {@code targets} is null (make the prediction differ
 * from {@code labels}), targeted otherwise (make it equal {@code targets}). Every adversarial image stays in
 * [0, 1] and within the attack's budget. Arrays made during the attack belong to the manager of {@code x};
 * the result's adversarial batch too.
 */
public interface Attack {

    AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets);

    /**
     * The attack with its random numbers drawn from each image's own stream, so that the result for an image
     * does not depend on its batch (shards, partitions). Deterministic attacks ignore {@code random}.
     */
    default AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets,
            ImageRandom random) {
        return run(classifier, x, labels, targets);
    }

    /** The method's name as the CLI and metrics name it: fgsm, pgd, lbfgs. */
    String method();

    /** The norm its budget is measured in. */
    Norm norm();

    /** The budget (epsilon); 0 where the attack has none (minimal-perturbation attacks). */
    float eps();
}
