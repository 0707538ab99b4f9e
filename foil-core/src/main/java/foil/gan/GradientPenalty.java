package foil.gan;

import ai.djl.ndarray.NDArray;

/**
 * WGAN-GP's penalty term (Gulrajani et al. 2017): E[(‖∇D(x̂)‖₂ - 1)²] at x̂ = ε·x + (1 - ε)·x̃, one ε in [0, 1]
 * per row, between real samples x and generated ones x̃. The gradient comes from
 * {@link GanNetworks#criticInputGradient}, an expression in the critic's weights, so one ordinary backward pass
 * differentiates the penalty.
 */
public final class GradientPenalty {
    private GradientPenalty() {}

    /** The points x̂ between real and generated rows; {@code eps} has one value per row, broadcastable. */
    public static NDArray interpolates(NDArray real, NDArray fake, NDArray eps) {
        return real.mul(eps).add(fake.mul(eps.neg().add(1f)));
    }

    /** ‖∇D(x̂)‖₂ per row (with 1e-12 under the root, so the norm stays differentiable at 0). */
    public static NDArray gradientNorms(GanNetworks nets, NDArray points) {
        NDArray grad = nets.criticInputGradient(points);
        return grad.reshape(points.getShape().get(0), -1).square().sum(new int[] {1}).add(1e-12f).sqrt();
    }

    /** The mean of (‖∇D(x̂)‖₂ - 1)² over the rows, differentiable in the critic's weights. */
    public static NDArray of(GanNetworks nets, NDArray real, NDArray fake, NDArray eps) {
        return gradientNorms(nets, interpolates(real, fake, eps)).sub(1f).square().mean();
    }
}
