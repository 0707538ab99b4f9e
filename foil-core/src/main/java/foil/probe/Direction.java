package foil.probe;

import foil.FoilException;
import java.util.Random;

/**
 * A direction in a layer's activation space (Szegedy et al. 2014, section 3): a unit of the natural basis,
 * or a random direction drawn from a seed (a normalised Gaussian vector).
 */
public record Direction(String name, float[] vector) {

    /** The natural basis vector of unit {@code k} (units are counted over the flattened layer). */
    public static Direction unit(int k, int dims) {
        if (k < 0 || k >= dims) {
            throw new FoilException("--unit " + k + " is not in this layer, which has units 0 to " + (dims - 1));
        }
        float[] v = new float[dims];
        v[k] = 1f;
        return new Direction("unit " + k, v);
    }

    /** A random unit vector, the same for the same seed and size. */
    public static Direction random(long seed, int dims) {
        Random r = new Random(seed);
        float[] v = new float[dims];
        double norm = 0;
        for (int i = 0; i < dims; i++) {
            v[i] = (float) r.nextGaussian();
            norm += v[i] * v[i];
        }
        float inv = (float) (1 / Math.sqrt(norm));
        for (int i = 0; i < dims; i++) {
            v[i] *= inv;
        }
        return new Direction("random direction (seed " + seed + ")", v);
    }

    public boolean isUnit() {
        return name.startsWith("unit ");
    }
}
