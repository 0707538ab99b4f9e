package foil.gan;

import ai.djl.ndarray.NDArray;

/**
 * The Wasserstein GAN (Arjovsky et al. 2017): the critic maximises E[D(x)] - E[D(G(z))] (minimises its
 * negative), its weights clipped to [-c, c] after each step to keep it roughly 1-Lipschitz; G minimises
 * -E[D(G(z))].
 */
public record WassersteinLoss(float clip) implements GanLoss {
    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return fakeScores.mean().sub(realScores.mean());
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return fakeScores.mean().neg();
    }

    @Override
    public String name() {
        return "wgan";
    }

    @Override
    public int defaultDSteps() {
        return 5;
    }
}
