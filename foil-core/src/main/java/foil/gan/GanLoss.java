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

    /** Weight of the drift term E[D(x)²] on real scores (progressive growing's 0.001), or 0 for none. */
    default float drift() {
        return 0f;
    }

    /** γ of the R1 penalty γ/2·E[‖∇D(x)‖²] on real images (Mescheder et al. 2018), or 0 for none. */
    default float r1() {
        return 0f;
    }

    /** Critic steps between R1 penalties (StyleGAN2's lazy regularisation; the penalty is scaled by it). */
    default int r1Every() {
        return 1;
    }

    /** This loss with a drift term and an R1 penalty added ({@link Regularized}). */
    default GanLoss regularized(float drift, float r1, int r1Every) {
        return drift == 0 && r1 == 0 ? this : new Regularized(this, drift, r1, r1Every);
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
