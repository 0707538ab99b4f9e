package foil.attack;

import foil.FoilException;

/** The norm that bounds a perturbation. */
public enum Norm {
    LINF("linf"),
    L2("l2");

    public final String cliName;

    Norm(String cliName) {
        this.cliName = cliName;
    }

    public static Norm of(String name) {
        for (Norm n : values()) {
            if (n.cliName.equalsIgnoreCase(name) || n.name().equalsIgnoreCase(name)) {
                return n;
            }
        }
        throw new FoilException("unknown norm '" + name + "': use linf or l2");
    }
}
