package foil.gan;

import ai.djl.ndarray.NDArray;

/**
 * WGAN-GP (Gulrajani et al. 2017): the Wasserstein losses with, instead of clipping, the penalty
 * lambda·E[(‖∇D(x̂)‖₂ - 1)²] at points x̂ between real and generated samples, added by the trainer.
 */
public record WassersteinGpLoss(float lambda) implements GanLoss {
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
