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

    /** The method's name as the CLI and metrics name it: fgsm, pgd, lbfgs, cw, deepfool. */
    String method();

    /** The norm its budget is measured in. */
    Norm norm();

    /** The budget (epsilon); 0 where the attack has none (minimal-perturbation attacks). */
    float eps();

    /**
     * Whether the attack looks for the smallest perturbation that reaches its goal (L-BFGS, C&W, DeepFool)
     * rather than for any within a budget: its distortions are then a distribution worth reporting.
     */
    default boolean minimal() {
        return false;
    }

    /** Why the attack cannot aim at a target class, or null when it can. */
    default String untargetedOnly() {
        return null;
    }
}
