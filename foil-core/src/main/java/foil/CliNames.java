package foil;

import java.util.function.Function;

/** Looks up an option's value among an enum's command-line names, with one message for every miss. */
public final class CliNames {
    private CliNames() {}

    /**
     * The constant whose name (as {@code cliName} gives it) equals {@code name}, ignoring case; otherwise a
     * {@link FoilException} "unknown WHAT 'name': use a, b or c".
     */
    public static <E extends Enum<E>> E lookup(E[] values, Function<E, String> cliName, String name, String what) {
        StringBuilder choices = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (cliName.apply(values[i]).equalsIgnoreCase(name)) {
                return values[i];
            }
            choices.append(i == 0 ? "" : i == values.length - 1 ? " or " : ", ").append(cliName.apply(values[i]));
        }
        throw new FoilException("unknown " + what + " '" + name + "': use " + choices);
    }
}
