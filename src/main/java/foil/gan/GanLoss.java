package foil.gan;

import ai.djl.ndarray.NDArray;
import foil.FoilException;

/**
 * A GAN objective as two losses over the discriminator's raw scores (logits for the classic losses,
 * critic values for the Wasserstein ones): one the discriminator minimises, one the generator minimises.
 */
public interface GanLoss {

    /** The discriminator's loss from its scores on a real and a generated batch. */
    NDArray discriminator(NDArray realScores, NDArray fakeScores);

    /** The generator's loss from the discriminator's scores on its batch. */
    NDArray generator(NDArray fakeScores);

    /** The name the CLI and metrics use. */
    String name();

    /** Weight clipping bound applied to the critic after each of its steps (WGAN), or 0 for none. */
    default float clip() {
        return 0f;
    }

    /** Weight of the gradient penalty E[(‖∇D(x̂)‖ - 1)²] (WGAN-GP), or 0 for none. */
    default float gradientPenalty() {
        return 0f;
    }

    /** Discriminator steps per generator step that suit this loss. */
    default int defaultDSteps() {
        return 1;
    }

    static GanLoss of(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "minimax" -> new MinimaxLoss();
            case "nonsaturating", "vanilla", "ns" -> new NonSaturatingLoss();
            case "wgan" -> new WassersteinLoss(0.01f);
            case "wgan-gp" -> new WassersteinGpLoss(10f);
            case "hinge" -> new HingeLoss();
            default -> throw new FoilException("unknown GAN loss '" + name
                    + "': use minimax, nonsaturating, wgan, wgan-gp or hinge");
        };
    }
}
