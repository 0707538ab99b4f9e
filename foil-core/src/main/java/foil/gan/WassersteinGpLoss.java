package foil.gan;

import ai.djl.ndarray.NDArray;

/**
 * WGAN-GP (Gulrajani et al. 2017): the Wasserstein losses with, instead of clipping, the penalty
 * lambda·E[(‖∇D(x̂)‖₂ - 1)²] at points x̂ between real and generated samples, added by the trainer.
 */
public record WassersteinGpLoss(float lambda) implements GanLoss {
    private static final WassersteinLoss WASSERSTEIN = new WassersteinLoss(0f);

    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return WASSERSTEIN.discriminator(realScores, fakeScores);
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return WASSERSTEIN.generator(fakeScores);
    }

    @Override
    public String name() {
        return "wgan-gp";
    }

    @Override
    public float gradientPenalty() {
        return lambda;
    }

    @Override
    public int defaultDSteps() {
        return 5;
    }
}
