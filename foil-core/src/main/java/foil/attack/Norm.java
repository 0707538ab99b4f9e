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
        return foil.CliNames.lookup(values(), n -> n.cliName, name, "norm");
    }
}
