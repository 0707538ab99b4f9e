package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.nn.Activation;

/**
 * The non-saturating GAN (what most libraries call "vanilla"): D as in the minimax game, G minimises
 * -log D(G(z)) = softplus(-s) instead, which keeps a strong gradient where D rejects fakes.
 */
public record NonSaturatingLoss() implements GanLoss {
    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return new MinimaxLoss().discriminator(realScores, fakeScores);
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return Activation.softPlus(fakeScores.neg()).mean();
    }

    @Override
    public String name() {
        return "nonsaturating";
    }
}
