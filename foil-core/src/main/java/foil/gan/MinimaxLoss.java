package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * Goodfellow et al.'s minimax GAN: D minimises -log D(x) - log(1 - D(G(z))); G minimises log(1 - D(G(z))),
 * the saturating form (its gradient vanishes when D rejects fakes confidently). With D = sig(s):
 * -log sig(s) = softplus(-s) and log(1 - sig(s)) = -softplus(s).
 */
public record MinimaxLoss() implements GanLoss {
    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return Activation.softPlus(realScores.neg()).mean().add(Activation.softPlus(fakeScores).mean());
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return Activation.softPlus(fakeScores).mean().neg();
    }

    @Override
    public String name() {
        return "minimax";
    }
}
