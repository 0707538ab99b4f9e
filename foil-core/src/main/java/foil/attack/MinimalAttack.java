package foil.attack;

/**
 * An attack that looks for the smallest perturbation reaching its goal (L-BFGS, C&W, DeepFool) rather than
 * for any within a budget: it has no eps, and its distortions form a distribution worth reporting.
 */
public interface MinimalAttack extends Attack {

    @Override
    default float eps() {
        return 0f;
    }

    @Override
    default boolean minimal() {
        return true;
    }
}
