package foil.run;

import foil.attack.Fgsm;
import foil.attack.Lbfgs;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Sweep;
import foil.attack.Targeting;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.report.AttackReport;
import foil.report.HtmlReport;
import foil.report.RunDirectory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Foil's main job in a few minutes: train the {@code cnn}, sweep FGSM and PGD over epsilon, show PGD and
 * Szegedy's L-BFGS examples, and gather it all in {@code index.html}.
 */
public record DemoJob(DataSource data, int epochs, int sweepN, int attackN, int lbfgsN, long seed, boolean force) {
    static final float[] EPSILONS = {0f, 0.025f, 0.05f, 0.075f, 0.1f, 0.15f, 0.2f, 0.3f};

    public Map<String, Object> execute(RunDirectory root) {
        TrainOptions options = new TrainOptions(epochs, 128, 2e-3f, 0f, seed);
        RunDirectory modelDir = sub(root, "model");
        modelDir.writeRun("train", List.of(), Map.of("arch", "cnn", "train", options), seed, data.describe());
        TrainJob.Result trained = new TrainJob(data, Architecture.CNN, options, null).execute(modelDir);
        Map<String, Object> summary = new LinkedHashMap<>();
        try (FoilModel model = trained.model()) {
            ImageDataset test = data.test();
            String[] names = data.classNames(model.numClasses());
            summary.put("test_accuracy", trained.metrics().get("test_accuracy"));

            RunDirectory fgsmDir = sub(root, "sweep-fgsm");
            fgsmDir.writeRun("sweep", List.of(), Map.of("method", "fgsm", "eps", EPSILONS, "n", sweepN), seed, data.describe());
            Sweep.Curve fgsm = new SweepJob("FGSM", e -> new Fgsm((float) e), EPSILONS, sweepN, 250, seed)
                    .execute(model, test, fgsmDir);
            RunDirectory pgdDir = sub(root, "sweep-pgd");
            pgdDir.writeRun("sweep", List.of(), Map.of("method", "pgd", "steps", 10, "eps", EPSILONS, "n", sweepN), seed,
                    data.describe());
            Sweep.Curve pgd = new SweepJob("PGD-10 L-inf", e -> Pgd.of(Norm.LINF, (float) e, 10), EPSILONS, sweepN, 250,
                    seed).execute(model, test, pgdDir);
            SweepJob.chart(root.resolve("accuracy_vs_eps.png"), "Accuracy against epsilon (cnn, " + data.name() + ")",
                    List.of(fgsm, pgd), List.of("FGSM", "PGD-10"));
            summary.put("fgsm", fgsm.metrics());
            summary.put("pgd", pgd.metrics());

            RunDirectory pgdAttack = sub(root, "attack-pgd");
            Pgd pgd20 = Pgd.of(Norm.LINF, 0.1f, 20);
            pgdAttack.writeRun("attack", List.of(), Map.of("attack", pgd20, "n", attackN), seed, data.describe());
            Map<String, Object> pgdMetrics = new AttackJob(pgd20, Targeting.untargeted(), attackN, 250, seed, false, 8)
                    .execute(model, test, names, pgdAttack);
            summary.put("pgd20_eps0.1", pgdMetrics);

            RunDirectory lbfgsDir = sub(root, "attack-lbfgs");
            Lbfgs lbfgs = Lbfgs.defaults();
            lbfgsDir.writeRun("attack", List.of(), Map.of("attack", lbfgs, "n", lbfgsN, "targeting", "random"), seed,
                    data.describe());
            Map<String, Object> lbfgsMetrics = new AttackJob(lbfgs, Targeting.random(seed), lbfgsN, 100, seed, true, 8)
                    .execute(model, test, names, lbfgsDir);
            summary.put("lbfgs", lbfgsMetrics);

            RunDirectory toyDir = sub(root, "gan-toy");
            foil.gan.ToyGan.Options toy = foil.gan.ToyGan.Options.lecture(3.0, foil.gan.ToyGan.GeneratorLoss.MINIMAX, seed);
            toyDir.writeRun("gan toy", List.of(), Map.of("toy", toy), seed, Map.of("real", "N(3, 1)"));
            Map<String, Object> toyMetrics = new ToyGanJob(toy, null).execute(toyDir);
            summary.put("gan_toy", toyMetrics);
            RunDirectory landDir = sub(root, "gan-landscape");
            landDir.writeRun("gan landscape", List.of(), Map.of("mu", 3.0, "theta0", 1.0, "lr", 0.5, "steps", 400), seed,
                    Map.of("real", "N(3, 1)"));
            ToyGanJob.landscape(landDir, 3.0, 1.0, 0.5, 400);

            root.writeMetrics(summary);
            root.writeText("index.html", html(trained.metrics(), fgsm, pgd, pgdMetrics, lbfgsMetrics, toyMetrics));
        }
        return summary;
    }

    private RunDirectory sub(RunDirectory root, String name) {
        return RunDirectory.create(root.resolve(name), force);
    }

    private String html(Map<String, Object> train, Sweep.Curve fgsm, Sweep.Curve pgd, Map<String, Object> pgdMetrics,
            Map<String, Object> lbfgsMetrics, Map<String, Object> toyMetrics) {
        Map<String, Object> trainTable = new LinkedHashMap<>();
        trainTable.put("test_accuracy", train.get("test_accuracy"));
        trainTable.put("train_seconds", train.get("train_seconds"));
        trainTable.put("epochs", epochs);
        Map<String, Object> sweepTable = new LinkedHashMap<>();
        for (int i = 0; i < fgsm.points().size(); i++) {
            sweepTable.put("eps " + fgsm.points().get(i).eps(), String.format("FGSM %.3f, PGD-10 %.3f",
                    fgsm.points().get(i).robustAccuracy(), pgd.points().get(i).robustAccuracy()));
        }
        return new HtmlReport("Foil demo: adversarial examples against a CNN on " + data.name())
                .section("The classifier", "A small CNN (conv-BN-ReLU-pool twice, then two linear layers) trained "
                        + "with Adam.", List.of("model/training.png"), trainTable)
                .section("Accuracy against epsilon", "Test accuracy under FGSM (one signed-gradient step) and PGD "
                        + "(10 projected steps from a random start) as the L-inf budget grows, on the first "
                        + sweepN + " test images.", List.of("accuracy_vs_eps.png"), sweepTable)
                .section("PGD examples (L-inf, eps 0.1, 20 steps)", "Original, difference magnified ten times around "
                        + "mid-grey, adversarial image: the layout of Szegedy et al. (2014), Figure 5.",
                        List.of("attack-pgd/" + AttackReport.FIGURE), pgdMetrics)
                .section("Minimal perturbations by box-constrained L-BFGS", "For a random target label, the smallest "
                        + "perturbation that makes the CNN predict it; distortion as sqrt(mean r^2), as Szegedy reports "
                        + "it.", List.of("attack-lbfgs/" + AttackReport.FIGURE), lbfgsMetrics)
                .section("The toy GAN of the lecture", "Real data N(3, 1); the generator shifts noise by theta; a "
                        + "logistic-regression discriminator. Frames as in Goodfellow et al. (2014), Figure 1: data "
                        + "dotted, generator solid, discriminator dashed; then theta's path, the learned against the "
                        + "optimal discriminator, and the earth mover's distance to the data.",
                        List.of("gan-toy/" + ToyGanJob.FRAMES, "gan-toy/theta.png", "gan-toy/discriminator.png",
                                "gan-toy/emd.png"), toyMetrics)
                .section("The Nash equilibrium is a saddle point", "The GAN value over the discriminator's slope and "
                        + "the generator's shift, with the path alternating gradient steps take: they circle the "
                        + "equilibrium instead of walking straight to it.", List.of("gan-landscape/landscape.png"), null)
                .render();
    }
}
