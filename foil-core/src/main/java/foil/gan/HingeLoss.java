package foil.gan;

import ai.djl.ndarray.NDArray;

/** The hinge GAN loss (Lim & Ye 2017; SAGAN, BigGAN): D minimises E[relu(1 - D(x))] + E[relu(1 + D(G(z)))]. */
public record HingeLoss() implements GanLoss {
    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return realScores.neg().add(1f).maximum(0f).mean().add(fakeScores.add(1f).maximum(0f).mean());
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return fakeScores.mean().neg();
    }

    @Override
    public String name() {
        return "hinge";
    }
}
