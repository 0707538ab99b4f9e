package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.model.Classifier;

/**
 * An attack that draws random numbers per image. Called without streams, it draws each image's seed from the
 * engine's generator (so from {@code Foil.seed}); with {@link ImageRandom#of} streams, an image's result
 * depends on its own seed only.
 */
public interface Randomized extends Attack {

    @Override
    default AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets) {
        return run(classifier, x, labels, targets,
                ImageRandom.fromEngine(x.getManager(), (int) x.getShape().get(0)));
    }

    @Override
    AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets, ImageRandom random);
}
