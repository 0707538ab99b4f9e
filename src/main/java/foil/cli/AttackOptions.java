package foil.cli;

import foil.FoilException;
import foil.attack.Apgd;
import foil.attack.ApgdTargeted;
import foil.attack.Attack;
import foil.attack.Fgsm;
import foil.attack.Lbfgs;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Square;
import picocli.CommandLine.Option;

/** The options that choose and tune an attack, shared by attack, sweep and bench. */
public class AttackOptions {
    @Option(names = "--method", description = "Attack: fgsm, pgd, apgd-ce, apgd-dlr, apgd-t, lbfgs or square (black box: logits only).")
    String method = "pgd";

    @Option(names = "--norm", description = "Norm of the budget for pgd, apgd and square: linf or l2.")
    String norm = "linf";

    @Option(names = "--steps", description = "PGD or APGD steps, or L-BFGS iterations per solve (default: 20 for pgd, 100 for apgd, 30 for lbfgs).")
    Integer steps;

    @Option(names = "--step-size", description = "PGD step size (default: 2.5*eps/steps).")
    Float stepSize;

    @Option(names = "--restarts", description = "PGD or APGD random restarts.")
    int restarts = 1;

    @Option(names = "--no-random-start", description = "Start PGD at the image instead of a random point in the ball.")
    boolean noRandomStart;

    @Option(names = "--target-classes", description = "apgd-t: how many of the classes ranked highest after the prediction it targets in turn.")
    int targetClasses = 9;

    @Option(names = "--queries", description = "Square: the most queries of the model per image (default: 5000).")
    Integer queries;

    @Option(names = "--p-init", description = "Square: the fraction of pixels the first windows change (default: 0.8).")
    Float pInit;

    @Option(names = "--search-rounds", description = "L-BFGS rounds of the search on the constant c.")
    int searchRounds = 7;

    /** The attack at budget {@code eps}. */
    Attack build(float eps) {
        Attack a = switch (method.toLowerCase(java.util.Locale.ROOT)) {
            case "fgsm" -> {
                if (!norm.equalsIgnoreCase("linf")) {
                    throw new FoilException("fgsm is an L-inf attack: drop --norm " + norm + " or use --method pgd");
                }
                yield new Fgsm(eps);
            }
            case "pgd" -> {
                int s = steps == null ? 20 : steps;
                Pgd.of(Norm.of(norm), eps, Math.max(1, s)); // validates eps and steps first
                float size = stepSize == null ? Pgd.defaultStep(eps, s) : stepSize;
                yield new Pgd(Norm.of(norm), eps, size, s, !noRandomStart, restarts);
            }
            case "apgd-ce", "apgd-dlr" -> new Apgd(Norm.of(norm), eps, steps == null ? 100 : steps,
                    method.toLowerCase(java.util.Locale.ROOT).endsWith("ce") ? Apgd.Loss.CE : Apgd.Loss.DLR,
                    restarts, 0.75f, 0.75f);
            case "apgd-t" -> new ApgdTargeted(Norm.of(norm), eps, steps == null ? 100 : steps, targetClasses,
                    restarts);
            case "lbfgs" -> new Lbfgs(steps == null ? 30 : steps, searchRounds, 1f, 10);
            case "square" -> new Square(Norm.of(norm), eps, queries == null ? Square.DEFAULT_QUERIES : queries,
                    pInit == null ? Square.DEFAULT_P_INIT : pInit);
            default -> throw new FoilException("unknown method '" + method + "': use fgsm, pgd, apgd-ce, apgd-dlr, apgd-t, lbfgs or square");
        };
        if (!method.equalsIgnoreCase("square") && (queries != null || pInit != null)) {
            throw new FoilException("--queries and --p-init are options of --method square, not " + method);
        }
        return a;
    }

    boolean needsEps() {
        return !method.equalsIgnoreCase("lbfgs");
    }
}
