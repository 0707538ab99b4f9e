package foil.gan;

import ai.djl.ndarray.NDArray;

/**
 * The least-squares GAN loss (Mao et al. 2017) in the weighting of CycleGAN's code (Zhu et al. 2017): D minimises
 * ½(E[(D(x) - 1)²] + E[D(G(z))²]), the mean squared error to 1 on real and to 0 on generated scores, halved to slow
 * D down relative to G; G minimises E[(D(G(z)) - 1)²]. Means run over every score (every patch of a PatchGAN).
 */
public record LeastSquaresLoss() implements GanLoss {
    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return realScores.sub(1f).square().mean().add(fakeScores.square().mean()).mul(0.5f);
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return fakeScores.sub(1f).square().mean();
    }

    @Override
    public String name() {
        return "least-squares";
    }
}
