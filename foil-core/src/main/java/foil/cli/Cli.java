package foil.cli;

import foil.FoilException;
import java.util.ArrayList;
import java.util.List;

/** Small parsing helpers the commands share. */
final class Cli {
    private static List<String> args = List.of();

    private Cli() {}

    static void setArgs(String[] a) {
        args = List.of(a);
    }

    static List<String> args() {
        return args;
    }

    /** "A:B" to {A, B}, or null. */
    static int[] parseSubset(String spec) {
        if (spec == null) {
            return null;
        }
        String[] parts = spec.split(":");
        try {
            if (parts.length == 2) {
                int a = Integer.parseInt(parts[0].trim());
                int b = Integer.parseInt(parts[1].trim());
                if (a >= 0 && b > a) {
                    return new int[] {a, b};
                }
            }
        } catch (NumberFormatException e) {
            // fall through to the message
        }
        throw new FoilException("--train-subset '" + spec + "' is not A:B with 0 <= A < B (e.g. 0:30000)");
    }

    /** "0,0.05,0.1" to floats. */
    static float[] parseFloats(String option, String spec) {
        List<Float> values = new ArrayList<>();
        for (String p : spec.split(",")) {
            try {
                values.add(Float.parseFloat(p.trim()));
            } catch (NumberFormatException e) {
                throw new FoilException(option + " '" + spec + "' is not a comma-separated list of numbers "
                        + "(e.g. 0,0.05,0.1)");
            }
        }
        float[] out = new float[values.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = values.get(i);
        }
        return out;
    }
}
