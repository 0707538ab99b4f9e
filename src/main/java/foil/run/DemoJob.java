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
 * Szegedy's L-BFGS examples, train a PGD-robust cnn and draw both models' curves, probe what hidden units
 * respond to, run the toy GAN, its saddle, WGAN-GP against minimax on the 25-Gaussian grid and a short DCGAN,
 * and gather it all in {@code index.html}.
 */
public record DemoJob(DataSource data, int epochs, int sweepN, int attackN, int lbfgsN, int robustN, int ganEpochs,
        int mogIters, long seed, boolean force) {
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

            Map<String, Object> robust = robustSection(root, model, test, pgd);
            summary.put("robust", robust);
            Map<String, Object> probe = probe(root, "probe", "model", model, test, names);
            summary.put("probe", Map.of("mean_purity_units", probe.get("mean_purity_units"), "mean_purity_random",
                    probe.get("mean_purity_random")));
            // DCGAN here is built for 28x28 images
            boolean gan = ganEpochs > 0 && test.height() == 28 && test.width() == 28;
            Map<String, Object> dcgan = gan ? dcganSection(root, model) : null;
            if (dcgan != null) {
                summary.put("dcgan", dcgan);
            }

            RunDirectory toyDir = sub(root, "gan-toy");
            foil.gan.ToyGan.Options toy = foil.gan.ToyGan.Options.lecture(3.0, foil.gan.ToyGan.GeneratorLoss.MINIMAX, seed);
            toyDir.writeRun("gan toy", List.of(), Map.of("toy", toy), seed, Map.of("real", "N(3, 1)"));
            Map<String, Object> toyMetrics = new ToyGanJob(toy, null).execute(toyDir);
            summary.put("gan_toy", toyMetrics);
            RunDirectory landDir = sub(root, "gan-landscape");
            landDir.writeRun("gan landscape", List.of(), Map.of("mu", 3.0, "theta0", 1.0, "lr", 0.5, "steps", 400), seed,
                    Map.of("real", "N(3, 1)"));
            ToyGanJob.landscape(landDir, 3.0, 1.0, 0.5, 400);
            Map<String, Object> mog = mogIters > 0 ? mogSection(root) : null;
            if (mog != null) {
                summary.put("mog", mog);
            }

            root.writeMetrics(summary);
            root.writeText("index.html", html(trained.metrics(), fgsm, pgd, pgdMetrics, lbfgsMetrics, robust, probe,
                    dcgan, toyMetrics, mog));
        }
        return summary;
    }

    /** A PGD-trained cnn on the first robustN training images, swept like the standard one, both on one chart. */
    private Map<String, Object> robustSection(RunDirectory root, FoilModel standard, ImageDataset test,
            Sweep.Curve standardCurve) {
        RunDirectory robustDir = sub(root, "robust-model");
        TrainOptions options = new TrainOptions(Math.max(2, epochs - 1), 128, 2e-3f, 0f, seed);
        foil.defense.AdversarialTraining adv = foil.defense.AdversarialTraining.of(
                foil.defense.AdversarialTraining.Method.PGD, 0.1f, 5, null, null);
        int n = Math.min(robustN, data.train().size());
        robustDir.writeRun("train", List.of(), Map.of("arch", "cnn", "train", options, "adversarial", adv,
                "train_subset", "0:" + n), seed, data.describe());
        TrainJob.Result r = new TrainJob(data, Architecture.CNN, options, new int[] {0, n}, adv, 500).execute(robustDir);
        try (FoilModel robust = r.model()) {
            RunDirectory sweepDir = sub(root, "sweep-robust");
            sweepDir.writeRun("sweep", List.of(), Map.of("method", "pgd", "steps", 10, "eps", EPSILONS, "n", sweepN,
                    "model", "robust-model"), seed, data.describe());
            Sweep.Curve curve = new SweepJob("PGD-10 L-inf", e -> Pgd.of(Norm.LINF, (float) e, 10), EPSILONS, sweepN,
                    250, seed).execute(robust, test, sweepDir);
            SweepJob.chart(root.resolve("robust_vs_standard.png"), "PGD-10 accuracy against epsilon: standard and "
                    + "PGD-trained cnn", List.of(standardCurve, curve), List.of("standard cnn", "PGD-trained cnn (eps 0.1)"));
            probe(root, "probe-robust", "robust-model", robust, test, data.classNames(robust.numClasses()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_size", n);
            m.put("test_accuracy", r.metrics().get("test_accuracy"));
            m.put("robust_accuracy_pgd20_eps0.1", r.metrics().get("robust_accuracy"));
            m.put("sweep", curve.metrics());
            return m;
        }
    }

    /** Four units of the penultimate layer against four random directions, with synthesised inputs. */
    private Map<String, Object> probe(RunDirectory root, String name, String modelName, FoilModel model,
            ImageDataset test, String[] classNames) {
        RunDirectory probeDir = sub(root, name);
        probeDir.writeRun("probe", List.of(), Map.of("model", modelName, "layer", "penultimate", "synthesize", true),
                seed, data.describe());
        return new ProbeJob("penultimate", List.of(), 0, 8, foil.probe.Synthesis.defaults(), seed, 250).execute(model,
                test, classNames, probeDir);
    }

    /** A short DCGAN run judged by the demo's cnn: the sample grid and the class histogram. */
    private Map<String, Object> dcganSection(RunDirectory root, FoilModel judge) {
        RunDirectory ganDir = sub(root, "dcgan");
        ImageDataset train = data.train();
        int batch = 128;
        int perEpoch = GanImageJob.iterationsPerEpoch(train, batch);
        foil.gan.GanTrainer.Options o = new foil.gan.GanTrainer.Options(new foil.gan.NonSaturatingLoss(),
                ganEpochs * perEpoch, batch, 1, 2e-4f, 2e-4f, 0.5f, 0.999f, seed, perEpoch, perEpoch);
        ganDir.writeRun("gan train", List.of(), Map.of("arch", "dcgan", "loss", "nonsaturating", "epochs", ganEpochs,
                "width", 32), seed, data.describe());
        return new GanImageJob(train, o, 32, ganEpochs, false).execute(ganDir, judge);
    }

    /**
     * The 25-Gaussian grid, trained twice on one schedule (5 discriminator steps per generator step, Adam 1e-3
     * falling to 0): WGAN-GP, then the minimax loss; their samples and the comparison of modes, quality and EMD.
     */
    private Map<String, Object> mogSection(RunDirectory root) {
        List<foil.gan.GanLoss> losses = List.of(new foil.gan.WassersteinGpLoss(0.1f), new foil.gan.MinimaxLoss());
        int every = Math.max(1, mogIters / 20);
        List<java.nio.file.Path> runs = new java.util.ArrayList<>();
        for (foil.gan.GanLoss loss : losses) {
            RunDirectory d = sub(root, "mog-" + loss.name());
            foil.gan.GanTrainer.Options o = new foil.gan.GanTrainer.Options(loss, mogIters, 256, 5, 1e-3f, 1e-3f, 0.5f,
                    0.9f, seed, mogIters, every, true);
            List<String> args = new java.util.ArrayList<>(List.of("gan", "mog", "--shape", "grid", "--loss", loss.name(),
                    "--lr", "1e-3", "--lr-decay", "--iters", String.valueOf(mogIters), "--d-steps", "5", "--batch", "256",
                    "--log-every", String.valueOf(every), "--latent", "2", "--hidden", "128", "--seed",
                    String.valueOf(seed), "--out", d.dir().toString()));
            if (loss instanceof foil.gan.WassersteinGpLoss gp) {
                args.addAll(List.of("--gp-weight", String.valueOf(gp.lambda())));
            }
            // the command line of the same run, so that 'foil gan mog --resume' continues it with its own settings
            d.writeRun("gan mog", args, Map.of("shape", "grid", "loss", loss.name(), "iters", mogIters), seed,
                    Map.of("mixture", "grid"));
            new MogJob(foil.gan.Mixture.grid(), o, 2, 128, MogJob.defaultSnapshots(mogIters, every), false).execute(d);
            runs.add(d.dir());
        }
        RunDirectory cmp = sub(root, "mog-compare");
        cmp.writeRun("gan compare", List.of(), Map.of("runs", List.of("mog-wgan-gp", "mog-minimax")), seed, Map.of());
        @SuppressWarnings("unchecked")
        Map<String, Object> last = (Map<String, Object>) MogComparison.execute(runs, List.of("wgan-gp", "minimax"), cmp)
                .get("last_measurement");
        return last;
    }

    private static Map<String, Object> mogTable(Map<String, Object> mog) {
        Map<String, Object> t = new LinkedHashMap<>();
        mog.forEach((loss, v) -> {
            Map<?, ?> m = (Map<?, ?>) v;
            t.put(loss, String.format("%s of 25 modes, %.1f%% high quality, EMD %.3f", m.get("modes_covered"),
                    100 * ((Number) m.get("high_quality_fraction")).doubleValue(), ((Number) m.get("emd")).doubleValue()));
        });
        return t;
    }

    private static Map<String, Object> robustTable(Map<String, Object> robust) {
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("robust model: clean test accuracy", robust.get("test_accuracy"));
        t.put("robust model: PGD-20 accuracy at eps 0.1", robust.get("robust_accuracy_pgd20_eps0.1"));
        return t;
    }

    private RunDirectory sub(RunDirectory root, String name) {
        return RunDirectory.create(root.resolve(name), force);
    }

    private String html(Map<String, Object> train, Sweep.Curve fgsm, Sweep.Curve pgd, Map<String, Object> pgdMetrics,
            Map<String, Object> lbfgsMetrics, Map<String, Object> robust, Map<String, Object> probe,
            Map<String, Object> dcgan, Map<String, Object> toyMetrics, Map<String, Object> mog) {
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
                .section("A robust model against a standard one", "The same cnn trained with PGD (Madry et al.: 5 steps, "
                        + "L-inf eps 0.1) on the first " + robust.get("train_size") + " training images: lower clean "
                        + "accuracy, far higher accuracy under attack. Both PGD-10 curves on the same "
                        + sweepN + " test images.", List.of("robust_vs_standard.png", "robust-model/training.png"),
                        robustTable(robust))
                .section("What hidden units respond to", "Szegedy et al. (2014), section 3: the test images that most "
                        + "excite single units of the penultimate layer (natural basis) and random directions in the "
                        + "same space; the framed image is the input synthesised by gradient ascent from noise. Random "
                        + "directions pick images as alike as units do. Standard model, then the PGD-trained one, whose "
                        + "synthesised inputs look more like garments.", List.of("probe/" + ProbeJob.FIGURE,
                                "probe-robust/" + ProbeJob.FIGURE), Map.of("mean_purity_units",
                                String.valueOf(probe.get("mean_purity_units")), "mean_purity_random",
                                String.valueOf(probe.get("mean_purity_random"))))
                .sectionIf(dcgan != null, "DCGAN on " + data.name(), "Radford et al.'s architecture for 28x28 "
                        + "(transposed convolutions, batch norm, tanh), non-saturating loss, " + ganEpochs + " epoch(s); "
                        + "64 samples from fixed noise, and the class histogram of 1000 samples under the demo's cnn "
                        + "(class_entropy 1 means all classes equally often).", List.of("dcgan/samples.png",
                                "dcgan/losses.png"), dcgan)
                .section("The toy GAN of the lecture", "Real data N(3, 1); the generator shifts noise by theta; a "
                        + "logistic-regression discriminator. Frames as in Goodfellow et al. (2014), Figure 1: data "
                        + "dotted, generator solid, discriminator dashed; then theta's path, the learned against the "
                        + "optimal discriminator, and the earth mover's distance to the data.",
                        List.of("gan-toy/" + ToyGanJob.FRAMES, "gan-toy/theta.png", "gan-toy/discriminator.png",
                                "gan-toy/emd.png"), toyMetrics)
                .section("The Nash equilibrium is a saddle point", "The GAN value over the discriminator's slope and "
                        + "the generator's shift, with the path alternating gradient steps take: they circle the "
                        + "equilibrium instead of walking straight to it.", List.of("gan-landscape/landscape.png"), null)
                .sectionIf(mog != null, "Mode collapse on a grid of 25 Gaussians", "PacGAN's benchmark (Lin et al. "
                        + "2018): means on {-4,-2,0,2,4}^2, std 0.05; of 2500 samples, a sample is high quality within 3 "
                        + "std of a mode, a mode is covered when a high-quality sample is nearest to it. The same MLPs "
                        + "and schedule (" + mogIters + " iterations of 5 discriminator steps and one generator step) "
                        + "with WGAN-GP, then with the minimax loss, which drops modes. Scatter plots at 0, 10%, 30% and "
                        + "100% of training, then modes, quality and earth mover's distance over training. "
                        + "scripts/grid_experiment.sh trains 10000 iterations, where samples sharpen further.",
                        List.of("mog-wgan-gp/samples.png", "mog-minimax/samples.png", "mog-compare/"
                                + MogComparison.FIGURE), mog == null ? null : mogTable(mog))
                .render();
    }
}
