package foil.nn;

import ai.djl.ndarray.NDArray;

/**
 * Pixelwise feature normalisation (Karras et al. 2018, §4.2): each pixel's feature vector divided by its root mean
 * square over the channels, b = a / √(mean_c a² + 10⁻⁸). Applied to the latent too, over its one axis.
 */
public final class PixelNorm {
    private PixelNorm() {}

    public static final float EPSILON = 1e-8f;

    /** Normalises over axis 1 (the channels of n × c × h × w, or the units of n × d). */
    public static NDArray apply(NDArray x) {
        return x.div(x.square().mean(new int[] {1}, true).add(EPSILON).sqrt());
    }
}
