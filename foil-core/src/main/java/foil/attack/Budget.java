package foil.attack;

import foil.FoilException;

/** Checks an attack budget: non-negative, finite, and within what images in [0, 1] allow. */
public final class Budget {
    private Budget() {}

    public static void check(Norm norm, float eps) {
        if (!Float.isFinite(eps) || eps < 0f) {
            throw new FoilException("--eps must be a non-negative number, not " + eps);
        }
        if (norm == Norm.LINF && eps > 1f) {
            throw new FoilException("--eps " + eps + " is absurd for the L-inf norm on images in [0, 1]: "
                    + "use a value in [0, 1] (0.1 is typical for Fashion-MNIST)");
        }
        if (norm == Norm.L2 && eps > 100f) {
            throw new FoilException("--eps " + eps + " is absurd for the L2 norm: use a value in [0, 100] "
                    + "(1.5 to 3 is typical for 28x28 images)");
        }
    }
}
