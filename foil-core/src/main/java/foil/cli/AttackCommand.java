package foil.cli;

import foil.FoilException;
import foil.attack.Attack;
import foil.attack.Targeting;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.AttackJob;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "attack", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Craft adversarial examples for test images; write metrics.json and the original | "
                + "difference x10 | adversarial figure.")
final class AttackCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Mixin
    AttackOptions attack;

    @Option(names = "--eps", description = "Budget: L-inf or L2 radius (required for fgsm and pgd).")
    Float eps;

    @Option(names = "--target", description = "Targeted: make every prediction this class.")
    Integer target;

    @Option(names = "--targeted-random", description = "Targeted: a random class other than the label, per image (default for lbfgs).")
    boolean targetedRandom;

    @Option(names = "--n", description = "Attack the first N test images.")
    int n = 1000;

    @Option(names = "--batch", description = "Batch size.")
    int batch = 256;

    @Option(names = "--rows", description = "Examples drawn in the figure.")
    int rows = 8;

    @Option(names = "--save-examples", description = "Also write examples.npz (x, x_adv, y, pred_adv).")
    boolean saveExamples;

    @Mixin
    OutputOption output;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        if (n < 1 || batch < 1 || rows < 0) {
            throw new FoilException("--n and --batch must be positive and --rows non-negative");
        }
        if (attack.needsEps() && eps == null) {
            throw new FoilException("--eps is required for --method " + attack.method + " (e.g. --eps 0.1)");
        }
        if (target != null && targetedRandom) {
            throw new FoilException("give either --target K or --targeted-random, not both");
        }
        if (!attack.needsEps() && eps != null) {
            throw new FoilException("--eps does not apply to --method " + attack.method
                    + ", which finds the smallest perturbation itself (metrics.json has accuracy_vs_eps)");
        }
        Attack a = attack.build(eps == null ? 0f : eps);
        Targeting targeting = target != null ? Targeting.fixed(target)
                : targetedRandom || attack.targetedByDefault() ? Targeting.random(common.seed) : Targeting.untargeted();
        if (targeting.targeted() && a.untargetedOnly() != null) {
            throw new FoilException(a.untargetedOnly());
        }
        ModelInput.Opened opened = input.open();
        DataSource source = opened.source();
        ImageDataset test = opened.test();
        try (Classifier c = opened.classifier()) {
            if (target != null && (target < 0 || target >= c.numClasses())) {
                throw new FoilException("--target " + target + " is not a class: use 0 to " + (c.numClasses() - 1));
            }
            RunDirectory dir = common.startRun(output.out, source.describe(),
                    Map.of("attack", a, "targeting", targeting));
            Map<String, Object> m = new AttackJob(a, targeting, n, batch, common.seed, saveExamples, rows)
                    .execute(c, test, source.classNames(c.numClasses()), dir);
            System.out.println(Json.line(summary(m)));
        }
        return 0;
    }

    static Map<String, Object> summary(Map<String, Object> m) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String k : new String[] {"method", "norm", "eps", "n", "clean_accuracy", "robust_accuracy",
            "attack_success_rate", "mean_linf", "mean_l2", "mean_rms", "mean_queries", "median_queries",
            "images_per_second"}) {
            if (m.containsKey(k)) {
                s.put(k, m.get(k));
            }
        }
        return s;
    }
}
