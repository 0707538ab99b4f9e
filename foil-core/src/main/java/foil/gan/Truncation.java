package foil.gan;

import foil.FoilException;
import java.util.Random;

/**
 * Truncated latents (Brock et al. 2019; Karras et al. 2019): standard normal noise whose components beyond
 * {@code threshold} in magnitude are drawn again (no threshold when it is 0 or less), then pulled towards the
 * mean latent by ψ: z' = z̄ + ψ (z - z̄). For a generator fed N(0, I) noise the mean latent is 0; ψ = 1 and no
 * threshold is the untruncated distribution. Lower ψ trades diversity for quality.
 */
public record Truncation(double psi, double threshold) {
    public static final Truncation NONE = new Truncation(1, 0);

    public Truncation {
        if (!(psi >= 0 && psi <= 1)) {
            throw new FoilException("truncation psi must be in [0, 1], not " + psi);
        }
        if (threshold > 0 && threshold < 0.1) {
            throw new FoilException("a truncation threshold below 0.1 would redraw almost every component: " + threshold);
        }
    }

    /** {@code n} latents of dimension {@code latent}, flattened, from {@code seed}. */
    public float[] latents(int n, int latent, long seed) {
        Random r = new Random(seed);
        float[] z = new float[n * latent];
        for (int i = 0; i < z.length; i++) {
            double v = r.nextGaussian();
            while (threshold > 0 && Math.abs(v) > threshold) {
                v = r.nextGaussian();
            }
            z[i] = (float) (psi * v);
        }
        return z;
    }
}
