package foil.cli;

import foil.FoilException;
import foil.attack.Apgd;
import foil.attack.ApgdTargeted;
import foil.attack.Attack;
import foil.attack.CarliniWagner;
import foil.attack.DeepFool;
import foil.attack.FabTargeted;
import foil.attack.Fgsm;
import foil.attack.Lbfgs;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Square;
import picocli.CommandLine.Option;

/** The options that choose and tune an attack, shared by attack, sweep and bench. */
public class AttackOptions {
    @Option(names = "--method", description = "Attack: fgsm, pgd, apgd-ce, apgd-dlr, apgd-t, fab-t, square (black box: "
            + "logits only), lbfgs, cw (Carlini-Wagner L2) or deepfool.")
    String method = "pgd";

    @Option(names = "--norm", description = "Norm: linf or l2 for pgd, apgd and square (default linf) and deepfool "
            + "(default l2); lbfgs and cw are L2 attacks.")
    String norm;

    @Option(names = "--steps", description = "PGD, APGD or FAB-T steps, L-BFGS iterations per solve, C&W Adam steps per "
            + "search round, or DeepFool's maximum iterations (default: pgd 20, apgd and fab-t 100, lbfgs 30, cw "
            + CarliniWagner.DEFAULT_STEPS + ", deepfool " + DeepFool.DEFAULT_ITERATIONS + ").")
    Integer steps;

    @Option(names = "--step-size", description = "PGD step size (default: 2.5*eps/steps), or C&W's Adam learning "
            + "rate (default: " + CarliniWagner.DEFAULT_LEARNING_RATE + ").")
    Float stepSize;

    @Option(names = "--restarts", description = "PGD, APGD or FAB-T random restarts (FAB-T's first starts at the image).")
    int restarts = 1;

    @Option(names = "--no-random-start", description = "Start PGD at the image instead of a random point in the ball.")
    boolean noRandomStart;

    @Option(names = "--target-classes", description = "apgd-t and fab-t: how many of the classes ranked highest after the prediction it targets in turn.")
    int targetClasses = 9;

    @Option(names = "--queries", description = "Square: the most queries of the model per image (default: 5000).")
    Integer queries;

    @Option(names = "--p-init", description = "Square: the fraction of pixels the first windows change (default: 0.8).")
    Float pInit;

    @Option(names = "--search-rounds", description = "Rounds of the search on the constant c of lbfgs (default 7) "
            + "and cw (default " + CarliniWagner.DEFAULT_SEARCH_ROUNDS + ").")
    Integer searchRounds;

    @Option(names = "--confidence", description = "C&W's confidence kappa: how far the logits must pass the goal "
            + "(default 0, the smallest perturbation).")
    Float confidence;

    @Option(names = "--overshoot", description = "DeepFool's overshoot: the final step is (1 + overshoot) times "
            + "the sum of the steps (default 0.02).")
    Float overshoot;

    /** The attack at budget {@code eps}. */
    Attack build(float eps) {
        String m = method.toLowerCase(java.util.Locale.ROOT);
        if (confidence != null && !m.equals("cw")) {
            throw new FoilException("--confidence applies to --method cw only");
        }
        if (overshoot != null && !m.equals("deepfool")) {
            throw new FoilException("--overshoot applies to --method deepfool only");
        }
        if (searchRounds != null && !m.equals("lbfgs") && !m.equals("cw")) {
            throw new FoilException("--search-rounds applies to --method lbfgs and cw only");
        }
        if (!m.equals("square") && (queries != null || pInit != null)) {
            throw new FoilException("--queries and --p-init are options of --method square, not " + method);
        }
        return switch (m) {
            case "fgsm" -> {
                if (norm != null && !norm.equalsIgnoreCase("linf")) {
                    throw new FoilException("fgsm is an L-inf attack: drop --norm " + norm + " or use --method pgd");
                }
                yield new Fgsm(eps);
            }
            case "pgd" -> {
                int s = steps == null ? 20 : steps;
                Pgd.of(norm(Norm.LINF), eps, Math.max(1, s)); // validates eps and steps first
                float size = stepSize == null ? Pgd.defaultStep(eps, s) : stepSize;
                yield new Pgd(norm(Norm.LINF), eps, size, s, !noRandomStart, restarts);
            }
            case "apgd-ce", "apgd-dlr" -> new Apgd(norm(Norm.LINF), eps, steps == null ? 100 : steps,
                    m.endsWith("ce") ? Apgd.Loss.CE : Apgd.Loss.DLR, restarts, 0.75f, 0.75f);
            case "apgd-t" -> new ApgdTargeted(norm(Norm.LINF), eps, steps == null ? 100 : steps, targetClasses,
                    restarts);
            case "fab-t" -> {
                FabTargeted d = FabTargeted.of(norm(Norm.LINF), eps);
                yield new FabTargeted(d.norm(), eps, steps == null ? d.steps() : steps, targetClasses, restarts,
                        d.alphaMax(), d.eta(), d.beta());
            }
            case "square" -> new Square(norm(Norm.LINF), eps, queries == null ? Square.DEFAULT_QUERIES : queries,
                    pInit == null ? Square.DEFAULT_P_INIT : pInit);
            case "lbfgs" -> new Lbfgs(steps == null ? 30 : steps, searchRounds == null ? 7 : searchRounds, 1f, 10);
            case "cw" -> {
                if (norm(Norm.L2) != Norm.L2) {
                    throw new FoilException("cw is Carlini-Wagner's L2 attack: drop --norm " + norm
                            + " (for L-inf use --method deepfool --norm linf, or pgd)");
                }
                CarliniWagner d = CarliniWagner.defaults();
                yield new CarliniWagner(confidence == null ? d.confidence() : confidence,
                        steps == null ? d.steps() : steps, searchRounds == null ? d.searchRounds() : searchRounds,
                        d.initialConst(), stepSize == null ? d.learningRate() : stepSize);
            }
            case "deepfool" -> new DeepFool(norm(Norm.L2), overshoot == null ? DeepFool.DEFAULT_OVERSHOOT : overshoot,
                    steps == null ? DeepFool.DEFAULT_ITERATIONS : steps, DeepFool.DEFAULT_CANDIDATES);
            default -> throw new FoilException("unknown method '" + method + "': use fgsm, pgd, apgd-ce, apgd-dlr, apgd-t, fab-t, square, lbfgs, cw or deepfool");
        };
    }

    /** The norm asked for, or {@code otherwise} when none was. */
    private Norm norm(Norm otherwise) {
        return norm == null ? otherwise : Norm.of(norm);
    }

    /** The method and its norm, for labels ("PGD linf"). */
    String label() {
        return method.toUpperCase(java.util.Locale.ROOT) + " " + (norm == null ? "linf" : norm);
    }

    /** Whether the method takes a budget (fgsm, pgd) rather than looking for the smallest perturbation. */
    boolean needsEps() {
        String m = method.toLowerCase(java.util.Locale.ROOT);
        return !m.equals("lbfgs") && !m.equals("cw") && !m.equals("deepfool");
    }

    /** Whether the method aims at a random other class unless told otherwise (L-BFGS is targeted). */
    boolean targetedByDefault() {
        return method.equalsIgnoreCase("lbfgs");
    }
}
