package foil.eval;

import foil.FoilException;
import foil.attack.Apgd;
import foil.attack.ApgdTargeted;
import foil.attack.Attack;
import foil.attack.FabTargeted;
import foil.attack.Fgsm;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Restarted;
import foil.attack.Square;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The attacks of a robustness evaluation, by name, in the order they run. AutoAttack's versions (Croce and
 * Hein 2020) with their fixed settings: {@code standard} is APGD-CE, APGD-T (9 targets), FAB-T (9 targets)
 * and Square (5000 queries), one restart each; {@code plus} is APGD-CE and APGD-DLR with 5 restarts, Square
 * with 5000 queries, APGD-T and FAB-T. {@link #DIFFERENCES} says in every result where they differ from the
 * reference.
 */
public final class Ensemble {
    private Ensemble() {}

    /** Where Foil's versions differ from the reference implementation. */
    public static final List<String> DIFFERENCES = List.of(
            "The plus version has no untargeted FAB (5 restarts), which the reference runs between APGD-DLR "
                    + "and Square, and its Square runs 5 restarts where the reference's runs 1; its other attacks "
                    + "run in the reference's order. The standard version runs the reference's attacks, in its "
                    + "order, with its settings.",
            "Random numbers (the random starts of APGD, Square's windows, FAB-T's restarts after the first) "
                    + "come from a stream per image, not from PyTorch's generator, so single runs differ from "
                    + "the reference's while following the same distributions.");

    /** The attack names a version runs, in order. */
    public static List<String> version(String version) {
        return switch (version.toLowerCase(Locale.ROOT)) {
            case "standard" -> List.of("apgd-ce", "apgd-t", "fab-t", "square");
            case "plus" -> List.of("apgd-ce+", "apgd-dlr+", "square+", "apgd-t", "fab-t");
            default -> throw new FoilException("unknown --version '" + version + "': use standard or plus");
        };
    }

    /** The names {@link #build} knows, for messages. */
    public static final List<String> NAMES = List.of("apgd-ce", "apgd-dlr", "apgd-t", "fab-t", "square", "pgd",
            "fgsm");

    /** Parses a comma-separated list of attack names (checked, in order, without repeats). */
    public static List<String> parse(String list) {
        List<String> out = new ArrayList<>();
        for (String s : list.split(",")) {
            String name = s.trim().toLowerCase(Locale.ROOT);
            if (name.isEmpty()) {
                continue;
            }
            if (name.equals("fab")) {
                throw new FoilException("--attacks: " + name + " (untargeted FAB) is not implemented in Foil; use "
                        + String.join(", ", NAMES));
            }
            if (!NAMES.contains(name.replace("+", ""))) {
                throw new FoilException("--attacks: unknown attack '" + name + "'; use " + String.join(", ", NAMES));
            }
            if (out.contains(name)) {
                throw new FoilException("--attacks names " + name + " twice");
            }
            out.add(name);
        }
        if (out.isEmpty()) {
            throw new FoilException("--attacks is empty: name at least one of " + String.join(", ", NAMES));
        }
        return out;
    }

    /** The attack {@code name} at budget {@code eps}; a trailing + means the plus version's restarts. */
    public static Attack build(String name, Norm norm, float eps) {
        boolean plus = name.endsWith("+");
        int restarts = plus ? 5 : 1;
        return switch (name.replace("+", "")) {
            case "apgd-ce" -> new Apgd(norm, eps, 100, Apgd.Loss.CE, restarts, 0.75f, 0.75f);
            case "apgd-dlr" -> new Apgd(norm, eps, 100, Apgd.Loss.DLR, restarts, 0.75f, 0.75f);
            case "apgd-t" -> new ApgdTargeted(norm, eps, 100, 9, 1);
            case "fab-t" -> FabTargeted.of(norm, eps);
            case "square" -> square(norm, eps, restarts);
            case "pgd" -> Pgd.of(norm, eps, 20);
            case "fgsm" -> {
                if (norm != Norm.LINF) {
                    throw new FoilException("fgsm is an L-inf attack: drop it from --attacks or use --norm linf");
                }
                yield new Fgsm(eps);
            }
            default -> throw new FoilException("unknown attack '" + name + "'");
        };
    }

    private static Attack square(Norm norm, float eps, int restarts) {
        Square square = new Square(norm, eps, Square.DEFAULT_QUERIES, Square.DEFAULT_P_INIT);
        return restarts == 1 ? square : new Restarted(square, restarts);
    }

    /** Whether an attack needs the model's gradients (the others need only its outputs). */
    public static boolean whiteBox(String name) {
        return !name.startsWith("square");
    }

    /** Each name with the settings it runs with, for run.json and the docs. */
    public static Map<String, Object> describe(List<String> names, Norm norm, float eps) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String name : names) {
            m.put(name, build(name, norm, eps));
        }
        return m;
    }
}
