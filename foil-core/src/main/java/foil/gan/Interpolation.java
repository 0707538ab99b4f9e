package foil.gan;

import foil.FoilException;
import java.util.Locale;

/**
 * Paths between two latents: linear (lerp) or spherical (slerp, along the great circle, with the norm
 * interpolated linearly, as Karras et al.'s path length in Z). Both give exactly z0 at t = 0 and z1 at t = 1.
 */
public enum Interpolation {
    LERP, SLERP;

    public static Interpolation of(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FoilException("--method '" + name + "' is not lerp or slerp");
        }
    }

    /** The point at {@code t} on the path from z0 to z1 (vectors of the same length). */
    public float[] at(float[] z0, float[] z1, double t) {
        float[] out = new float[z0.length];
        if (t == 0 || t == 1) {
            System.arraycopy(t == 0 ? z0 : z1, 0, out, 0, out.length);
            return out;
        }
        if (this == LERP) {
            for (int i = 0; i < out.length; i++) {
                out[i] = (float) (z0[i] + t * (z1[i] - z0[i]));
            }
            return out;
        }
        double n0 = norm(z0);
        double n1 = norm(z1);
        double cos = 0;
        for (int i = 0; i < out.length; i++) {
            cos += z0[i] / n0 * (z1[i] / n1);
        }
        double omega = Math.acos(Math.max(-1, Math.min(1, cos)));
        if (omega < 1e-6) {
            return LERP.at(z0, z1, t);
        }
        double a = Math.sin((1 - t) * omega) / Math.sin(omega);
        double b = Math.sin(t * omega) / Math.sin(omega);
        double scale = (1 - t) * n0 + t * n1;
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) (scale * (a * z0[i] / n0 + b * z1[i] / n1));
        }
        return out;
    }

    private static double norm(float[] z) {
        double s = 0;
        for (float v : z) {
            s += (double) v * v;
        }
        return Math.sqrt(s);
    }
}
