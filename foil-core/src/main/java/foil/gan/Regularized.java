package foil.gan;

import ai.djl.ndarray.NDArray;
import foil.FoilException;

/**
 * A loss with the critic's extra terms of Karras et al.: the drift term ε·E[D(x)²] that keeps WGAN-GP's critic
 * values near zero (progressive growing, ε = 0.001), and the R1 penalty γ/2·E[‖∇ₓD(x)‖²] on real images
 * (Mescheder et al. 2018; StyleGAN), optionally lazy: every {@code r1Every} critic steps, scaled by it. The trainer
 * adds both; this record carries the weights and names the result.
 */
public record Regularized(GanLoss base, float drift, float r1, int r1Every) implements GanLoss {
    public Regularized {
        if (!(drift >= 0) || !(r1 >= 0) || r1Every < 1) {
            throw new FoilException("the drift weight and R1's gamma must be >= 0 and the R1 interval positive (got "
                    + drift + ", " + r1 + ", " + r1Every + ")");
        }
    }

    @Override
    public NDArray discriminator(NDArray realScores, NDArray fakeScores) {
        return base.discriminator(realScores, fakeScores);
    }

    @Override
    public NDArray generator(NDArray fakeScores) {
        return base.generator(fakeScores);
    }

    @Override
    public String name() {
        return base.name() + (drift > 0 ? "+drift" : "") + (r1 > 0 ? "+r1" : "");
    }

    @Override
    public float clip() {
        return base.clip();
    }

    @Override
    public float gradientPenalty() {
        return base.gradientPenalty();
    }

    @Override
    public int defaultDSteps() {
        return base.defaultDSteps();
    }
}
