package foil.run;

import foil.FoilException;
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
import foil.io.RunDirectory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Foil's main job in a few minutes: train the {@code cnn}, sweep FGSM and PGD over epsilon, show PGD and
 * Szegedy's L-BFGS examples, train a PGD-robust cnn and draw both models' curves, probe what hidden units
 * respond to, run the toy GAN, its saddle, WGAN-GP against minimax on the 25-Gaussian grid and a short DCGAN,
 * and gather it all in {@code index.html}. Every section after the classifier runs on its own: one that throws
 * is recorded (in {@code metrics.json}'s {@code failed_sections} and as a failure box in the report) and the
 * others still run. When the classifier cannot be trained, nothing else can, and the report says so.
 * {@code failOnPurpose} names sections made to throw, to see that path.
 */
public record DemoJob(DataSource data, int epochs, int sweepN, int attackN, int lbfgsN, int robustN, int evalN,
        int ganEpochs, int mogIters, long archImages, long seed, boolean force, Set<String> failOnPurpose) {
    /** How the demo inverts its DCGAN for provenance: a few hundred Adam steps from two starts. */
    static final foil.gan.Inversion QUALITY_INVERSION = new foil.gan.Inversion(2, 200, 0.05, 1e-3, 0,
            foil.gan.Inversion.Method.ADAM);
    static final float[] EPSILONS = {0f, 0.025f, 0.05f, 0.075f, 0.1f, 0.15f, 0.2f, 0.3f};
    /** The classifier, which every other section uses. */
    public static final String CLASSIFIER = "classifier";
    /** The sections after the classifier, in the report's order, by the names their failures are recorded under. */
    public static final List<String> SECTIONS = List.of("sweeps", "pgd-examples", "lbfgs", "minimal", "robust", "evaluation", "probe",
            "dcgan",
            "gan-quality", "gan-architectures", "gan-toy", "gan-landscape", "mog");

    /** A section that threw, and why: a {@link FoilException}'s message, or another exception's class and message. */
    public record Failure(String section, String error) {
        static Failure of(String section, RuntimeException e) {
            return new Failure(section, FoilException.firstLine(e instanceof FoilException ? e.getMessage()
                    : e.toString()));
        }

        Map<String, Object> toMap() {
            return new LinkedHashMap<>(Map.of("section", section, "error", error));
        }
    }

    /** What the demo wrote to {@code metrics.json}, and the sections that failed (none when all went well). */
    public record Result(Map<String, Object> summary, List<Failure> failures) {}

    /** All sections as they are. */
    public DemoJob(DataSource data, int epochs, int sweepN, int attackN, int lbfgsN, int robustN, int evalN,
            int ganEpochs, int mogIters, long archImages, long seed, boolean force) {
        this(data, epochs, sweepN, attackN, lbfgsN, robustN, evalN, ganEpochs, mogIters, archImages, seed, force,
                Set.of());
    }

    public DemoJob {
        failOnPurpose = Set.copyOf(failOnPurpose);
        for (String name : failOnPurpose) {
            if (!name.equals(CLASSIFIER) && !SECTIONS.contains(name)) {
                throw new FoilException("no demo section '" + name + "' to fail: the sections are " + CLASSIFIER + ", "
                        + String.join(", ", SECTIONS));
            }
        }
    }

    /** The FGSM and PGD-10 curves of the standard model. */
    private record Curves(Sweep.Curve fgsm, Sweep.Curve pgd) {}

    public Result execute(RunDirectory root) {
        Sections sections = new Sections(failOnPurpose);
        Map<String, Object> summary = new LinkedHashMap<>();
        TrainJob.Result trained = sections.run(CLASSIFIER, () -> {
            TrainOptions options = new TrainOptions(epochs, 128, 2e-3f, 0f, seed);
            RunDirectory modelDir = sub(root, "model");
            modelDir.writeRun("train", List.of(), Map.of("arch", "cnn", "train", options), seed, data.describe());
            return new TrainJob(data, Architecture.CNN, options, null).execute(modelDir);
        });
        if (trained == null) {
            summary.put("failed_sections", sections.failuresAsMaps());
            root.writeMetrics(summary);
            root.writeText("index.html", new HtmlReport(title()).failed("The classifier", CLASSIFIER,
                    sections.failure(CLASSIFIER).error(), "Every other section uses this classifier, so none ran.")
                    .render());
            return new Result(summary, sections.failures());
        }
        try (FoilModel model = trained.model()) {
            ImageDataset test = data.test();
            String[] names = data.classNames(model.numClasses());
            summary.put("test_accuracy", trained.metrics().get("test_accuracy"));

            Curves curves = sections.run("sweeps", () -> sweeps(root, model, test));
            if (curves != null) {
                summary.put("fgsm", curves.fgsm().metrics());
                summary.put("pgd", curves.pgd().metrics());
            }
            Map<String, Object> pgdMetrics = sections.run("pgd-examples", () -> {
                RunDirectory pgdAttack = sub(root, "attack-pgd");
                Pgd pgd20 = Pgd.of(Norm.LINF, 0.1f, 20);
                pgdAttack.writeRun("attack", List.of(), Map.of("attack", pgd20, "n", attackN), seed, data.describe());
                return new AttackJob(pgd20, Targeting.untargeted(), attackN, 250, seed, false, 8).execute(model, test,
                        names, pgdAttack);
            });
            put(summary, "pgd20_eps0.1", pgdMetrics);
            Map<String, Object> lbfgsMetrics = sections.run("lbfgs", () -> {
                RunDirectory lbfgsDir = sub(root, "attack-lbfgs");
                Lbfgs lbfgs = Lbfgs.defaults();
                lbfgsDir.writeRun("attack", List.of(), Map.of("attack", lbfgs, "n", lbfgsN, "targeting", "random"), seed,
                        data.describe());
                return new AttackJob(lbfgs, Targeting.random(seed), lbfgsN, 100, seed, true, 8).execute(model, test,
                        names, lbfgsDir);
            });
            put(summary, "lbfgs", lbfgsMetrics);
            Map<String, Object> minimal = evalN > 0 ? sections.run("minimal", () -> minimalSection(root, model, test,
                    names)) : null;
            put(summary, "minimal", minimal);

            Map<String, Object> robust = sections.run("robust", () -> robustSection(root, model, test,
                    curves == null ? null : curves.pgd()));
            put(summary, "robust", robust);
            Map<String, Object> evaluation = evalN > 0 ? sections.run("evaluation", () -> {
                if (robust == null) {
                    throw new FoilException("no PGD-trained cnn to evaluate: its section failed");
                }
                return new EvaluationSection(data, evalN, seed).execute(root, model, root.resolve("robust-model"),
                        test);
            }) : null;
            put(summary, "evaluation", evaluation);
            Map<String, Object> probe = sections.run("probe", () -> probe(root, "probe", "model", model, test, names));
            if (probe != null) {
                summary.put("probe", Map.of("mean_purity_units", probe.get("mean_purity_units"), "mean_purity_random",
                        probe.get("mean_purity_random")));
            }
            // DCGAN here is built for 28x28 images
            boolean gan = ganEpochs > 0 && test.height() == 28 && test.width() == 28;
            Map<String, Object> dcgan = gan ? sections.run("dcgan", () -> dcganSection(root, "dcgan", model, seed))
                    : null;
            put(summary, "dcgan", dcgan);
            Map<String, Object> quality = gan ? sections.run("gan-quality", () -> {
                if (dcgan == null) {
                    throw new FoilException("no DCGAN to measure: its section failed");
                }
                dcganSection(root, "dcgan-other", model, seed + 1); // provenance's other generator
                int available = Math.min(test.size(), data.train().size());
                return new GeneratorQuality(data, Math.min(2000, available), Math.min(1000, available),
                        Math.max(4, Math.min(100, available / 4)), QUALITY_INVERSION, seed).execute(root,
                        root.resolve("dcgan"), root.resolve("dcgan-other"), root.resolve("model"));
            }) : null;
            put(summary, "generator_quality", quality == null ? null : GeneratorQuality.summary(quality));
            // progressive growing and StyleGAN take square images of up to 32 pixels
            boolean scaled = archImages > 0 && test.height() == test.width() && test.height() <= 32;
            Map<String, Object> architectures = scaled ? sections.run("gan-architectures", () -> {
                int available = Math.min(test.size(), data.train().size());
                return new GanArchitectures(data, archImages, Math.min(2000, available), Math.max(10, Math.min(500,
                        available)), seed).execute(root, model, root.resolve("model"), dcgan != null
                                ? root.resolve("dcgan") : null);
            }) : null;
            put(summary, "gan_architectures", architectures == null ? null : GanArchitectures.summary(architectures));

            Map<String, Object> toyMetrics = sections.run("gan-toy", () -> {
                RunDirectory toyDir = sub(root, "gan-toy");
                foil.gan.ToyGan.Options toy = foil.gan.ToyGan.Options.lecture(3.0, foil.gan.ToyGan.GeneratorLoss.MINIMAX,
                        seed);
                toyDir.writeRun("gan toy", List.of(), Map.of("toy", toy), seed, Map.of("real", "N(3, 1)"));
                return new ToyGanJob(toy, null).execute(toyDir);
            });
            put(summary, "gan_toy", toyMetrics);
            Boolean landscape = sections.run("gan-landscape", () -> {
                RunDirectory landDir = sub(root, "gan-landscape");
                landDir.writeRun("gan landscape", List.of(), Map.of("mu", 3.0, "theta0", 1.0, "lr", 0.5, "steps", 400),
                        seed, Map.of("real", "N(3, 1)"));
                ToyGanJob.landscape(landDir, 3.0, 1.0, 0.5, 400);
                return true;
            });
            Map<String, Object> mog = mogIters > 0 ? sections.run("mog", () -> mogSection(root)) : null;
            put(summary, "mog", mog);

            summary.put("failed_sections", sections.failuresAsMaps());
            root.writeMetrics(summary);
            root.writeText("index.html", html(sections, trained.metrics(), curves, pgdMetrics, lbfgsMetrics, minimal,
                    robust, evaluation, probe, dcgan, quality, architectures, toyMetrics, landscape != null, mog));
        }
        return new Result(summary, sections.failures());
    }

    /**
     * Runs the demo's sections one at a time, each on its own: one that throws is recorded with its error, answers
     * null, and the next one runs.
     */
    private static final class Sections {
        private final Set<String> failOnPurpose;
        private final List<Failure> failures = new ArrayList<>();

        Sections(Set<String> failOnPurpose) {
            this.failOnPurpose = failOnPurpose;
        }

        /** The section's result, or null when it threw. */
        <T> T run(String name, Supplier<T> body) {
            try {
                if (failOnPurpose.contains(name)) {
                    throw new IllegalStateException("made to fail on purpose (--fail-section " + name + ")");
                }
                return body.get();
            } catch (RuntimeException e) {
                failures.add(Failure.of(name, e));
                if (System.getenv("FOIL_DEBUG") != null) {
                    e.printStackTrace();
                }
                return null;
            }
        }

        Failure failure(String name) {
            return failures.stream().filter(f -> f.section().equals(name)).findFirst().orElse(null);
        }

        List<Failure> failures() {
            return List.copyOf(failures);
        }

        List<Map<String, Object>> failuresAsMaps() {
            return failures.stream().map(Failure::toMap).toList();
        }
    }

    private static void put(Map<String, Object> summary, String key, Object value) {
        if (value != null) {
            summary.put(key, value);
        }
    }

    /** FGSM and PGD-10 swept over {@link #EPSILONS} on the standard model, both on one chart. */
    private Curves sweeps(RunDirectory root, FoilModel model, ImageDataset test) {
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
        return new Curves(fgsm, pgd);
    }

    /**
     * A PGD-trained cnn on the first robustN training images, swept like the standard one, both on one chart (the
     * robust curve alone when the standard sweep failed).
     */
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
            if (standardCurve != null) {
                SweepJob.chart(root.resolve("robust_vs_standard.png"), "PGD-10 accuracy against epsilon: standard and "
                        + "PGD-trained cnn", List.of(standardCurve, curve), List.of("standard cnn",
                                "PGD-trained cnn (eps 0.1)"));
            } else { // the standard model's sweep failed: the robust curve alone
                SweepJob.chart(root.resolve("robust_vs_standard.png"), "PGD-10 accuracy against epsilon: PGD-trained "
                        + "cnn", List.of(curve), List.of("PGD-trained cnn (eps 0.1)"));
            }
            probe(root, "probe-robust", "robust-model", robust, test, data.classNames(robust.numClasses()));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("train_size", n);
            m.put("test_accuracy", r.metrics().get("test_accuracy"));
            m.put("robust_accuracy_pgd20_eps0.1", r.metrics().get("robust_accuracy"));
            m.put("sweep", curve.metrics());
            return m;
        }
    }

    /** C&W and DeepFool (L2, untargeted) on the first evalN test images: their smallest perturbations. */
    private Map<String, Object> minimalSection(RunDirectory root, FoilModel model, ImageDataset test,
            String[] names) {
        Map<String, Object> out = new LinkedHashMap<>();
        int n = Math.min(evalN, test.size());
        out.put("n", n);
        for (foil.attack.Attack a : List.<foil.attack.Attack>of(foil.attack.CarliniWagner.defaults(),
                foil.attack.DeepFool.of(Norm.L2))) {
            RunDirectory dir = sub(root, "attack-" + a.method());
            dir.writeRun("attack", List.of(), Map.of("attack", a, "n", n), seed, data.describe());
            Map<String, Object> m = new AttackJob(a, Targeting.untargeted(), n, 100, seed, false, 8).execute(model,
                    test, names, dir);
            Map<String, Object> s = new LinkedHashMap<>();
            for (String k : new String[] {"attack_success_rate", "median_l2", "median_linf", "seconds"}) {
                s.put(k, m.get(k));
            }
            out.put(a.method(), s);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> minimalTable(Map<String, Object> minimal) {
        Map<String, Object> t = new LinkedHashMap<>();
        for (String k : new String[] {"cw", "deepfool"}) {
            Map<String, Object> s = (Map<String, Object>) minimal.get(k);
            t.put(k, "success " + number(s.get("attack_success_rate")) + ", median L2 " + number(s.get("median_l2"))
                    + ", median L-inf " + number(s.get("median_linf")));
        }
        return t;
    }

    private static String number(Object v) {
        return v instanceof Number x ? String.format(java.util.Locale.ROOT, "%.3f", x.doubleValue()) : "none";
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
    private Map<String, Object> dcganSection(RunDirectory root, String name, FoilModel judge, long seed) {
        RunDirectory ganDir = sub(root, name);
        ImageDataset train = data.train();
        int batch = 128;
        int perEpoch = GanImageJob.iterationsPerEpoch(train, batch);
        foil.gan.GanTrainer.Options o = new foil.gan.GanTrainer.Options(new foil.gan.NonSaturatingLoss(),
                ganEpochs * perEpoch, batch, 1, 2e-4f, 2e-4f, 0.5f, 0.999f, seed, perEpoch, perEpoch);
        ganDir.writeRun("gan train", List.of(), Map.of("arch", "dcgan", "loss", "nonsaturating", "epochs", ganEpochs,
                "width", 32), seed, data.describe());
        return new GanImageJob(train, o, 32, ganEpochs, false).execute(ganDir, new GanImageJob.Judge(judge,
                judge.describe()));
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

    private String title() {
        return "Foil demo: adversarial examples against a CNN on " + data.name();
    }

    /**
     * Places one section in the report: as what it made, as a failure box when it threw, or not at all when it did
     * not run (a part the settings leave out).
     */
    private static void place(HtmlReport report, Sections sections, String name, String heading, Object result,
            Runnable content) {
        Failure failure = sections.failure(name);
        if (failure != null) {
            report.failed(heading, name, failure.error(), null);
        } else if (result != null) {
            content.run();
        }
    }

    private String html(Sections sections, Map<String, Object> train, Curves curves, Map<String, Object> pgdMetrics,
            Map<String, Object> lbfgsMetrics, Map<String, Object> minimal, Map<String, Object> robust,
            Map<String, Object> evaluation,
            Map<String, Object> probe,
            Map<String, Object> dcgan, Map<String, Object> quality, Map<String, Object> architectures,
            Map<String, Object> toyMetrics, boolean landscape, Map<String, Object> mog) {
        Map<String, Object> trainTable = new LinkedHashMap<>();
        trainTable.put("test_accuracy", train.get("test_accuracy"));
        trainTable.put("train_seconds", train.get("train_seconds"));
        trainTable.put("epochs", epochs);
        HtmlReport r = new HtmlReport(title());
        r.section("The classifier", "A small CNN (conv-BN-ReLU-pool twice, then two linear layers) trained with Adam.",
                List.of("model/training.png"), trainTable);
        String sweepsHeading = "Accuracy against epsilon";
        place(r, sections, "sweeps", sweepsHeading, curves, () -> {
            Map<String, Object> sweepTable = new LinkedHashMap<>();
            for (int i = 0; i < curves.fgsm().points().size(); i++) {
                sweepTable.put("eps " + curves.fgsm().points().get(i).eps(), String.format("FGSM %.3f, PGD-10 %.3f",
                        curves.fgsm().points().get(i).robustAccuracy(), curves.pgd().points().get(i).robustAccuracy()));
            }
            r.section(sweepsHeading, "Test accuracy under FGSM (one signed-gradient step) and PGD (10 projected steps "
                    + "from a random start) as the L-inf budget grows, on the first " + sweepN + " test images. An image counts "
                    + "as robust when the cnn classifies it correctly both clean and adversarial (as RobustBench "
                    + "counts); attack success and distortions are over the images it classifies correctly clean.",
                    List.of("accuracy_vs_eps.png"), sweepTable);
        });
        String pgdHeading = "PGD examples (L-inf, eps 0.1, 20 steps)";
        place(r, sections, "pgd-examples", pgdHeading, pgdMetrics, () -> r.section(pgdHeading, "Original, difference "
                + "magnified ten times around mid-grey, adversarial image: the layout of Szegedy et al. (2014), Figure 5.",
                List.of("attack-pgd/" + AttackReport.FIGURE), pgdMetrics));
        String lbfgsHeading = "Minimal perturbations by box-constrained L-BFGS";
        place(r, sections, "lbfgs", lbfgsHeading, lbfgsMetrics, () -> r.section(lbfgsHeading, "For a random target "
                + "label, the smallest perturbation that makes the CNN predict it; distortion as sqrt(mean r^2), as "
                + "Szegedy reports it.", List.of("attack-lbfgs/" + AttackReport.FIGURE), lbfgsMetrics));
        String minimalHeading = "The smallest perturbations: C&W, DeepFool and L-BFGS";
        place(r, sections, "minimal", minimalHeading, minimal, () -> r.section(minimalHeading, "For each correctly "
                + "classified test image, the smallest perturbation each minimal-perturbation attack found that changes "
                + "the answer (Carlini & Wagner's L2 attack, DeepFool in L2, both untargeted, on the first "
                + minimal.get("n") + " images; L-BFGS above, targeted at a random class): the histogram of its L2 "
                + "norm, and the robust accuracy it implies at each budget. C&W's median should lie below DeepFool's.",
                List.of("attack-cw/" + AttackReport.MINIMAL_FIGURE, "attack-deepfool/" + AttackReport.MINIMAL_FIGURE,
                        "attack-lbfgs/" + AttackReport.MINIMAL_FIGURE), minimalTable(minimal)));
        String robustHeading = "A robust model against a standard one";
        place(r, sections, "robust", robustHeading, robust, () -> r.section(robustHeading, "The same cnn trained with "
                + "PGD (Madry et al.: 5 steps, L-inf eps 0.1) on the first " + robust.get("train_size") + " training "
                + "images: lower clean accuracy, far higher accuracy under attack. "
                + (curves != null ? "Both PGD-10 curves on the same " + sweepN + " test images."
                        : "Its PGD-10 curve on the first " + sweepN + " test images (the standard model's sweep failed)."),
                List.of("robust_vs_standard.png", "robust-model/training.png"), robustTable(robust)));
        String evalHeading = "A robustness evaluation one can trust";
        place(r, sections, "evaluation", evalHeading, evaluation, () -> r.section(evalHeading, "AutoAttack's "
                + "standard ensemble (Croce & Hein 2020: APGD-CE, APGD-T over 9 target classes, FAB-T over the "
                + "same 9, Square with 5000 queries) at L-inf eps " + EvaluationSection.EPS + " on the first "
                + evaluation.get("n") + " test images: each attack runs on the images all earlier ones failed on, "
                + "an image counts as robust when the model is right on it clean and under every attack. The third "
                + "model is the standard cnn with its logits multiplied by 1000: its softmax saturates, PGD and "
                + "APGD-CE find no gradient and report it robust, the scale-invariant APGD-T does not, and the "
                + "checks flag it.", List.of(EvaluationSection.CHART), EvaluationSection.table(evaluation)));
        String probeHeading = "What hidden units respond to";
        place(r, sections, "probe", probeHeading, probe, () -> {
            List<String> figures = new ArrayList<>(List.of("probe/" + ProbeJob.FIGURE));
            if (robust != null) {
                figures.add("probe-robust/" + ProbeJob.FIGURE);
            }
            r.section(probeHeading, "Szegedy et al. (2014), section 3: the test images that most excite single units "
                    + "of the penultimate layer (natural basis) and random directions in the same space; the framed "
                    + "image is the input synthesised by gradient ascent from noise. Random directions pick images as "
                    + "alike as units do. Standard model" + (robust != null ? ", then the PGD-trained one, whose "
                    + "synthesised inputs look more like garments." : "."), figures, Map.of("mean_purity_units",
                            String.valueOf(probe.get("mean_purity_units")), "mean_purity_random",
                            String.valueOf(probe.get("mean_purity_random"))));
        });
        String dcganHeading = "DCGAN on " + data.name();
        place(r, sections, "dcgan", dcganHeading, dcgan, () -> r.section(dcganHeading, "Radford et al.'s architecture "
                + "for 28x28 (transposed convolutions, batch norm, tanh), non-saturating loss, " + ganEpochs + " epoch(s); "
                + "64 samples from fixed noise, and the class histogram of 1000 samples under the demo's cnn "
                + "(class_entropy 1 means all classes equally often).", List.of("dcgan/samples.png", "dcgan/losses.png"),
                dcgan));
        String qualityHeading = "How good is the generator?";
        place(r, sections, "gan-quality", qualityHeading, quality, () -> GeneratorQuality.section(r, qualityHeading,
                quality));
        String scaleHeading = "GANs at scale: progressive growing and StyleGAN";
        place(r, sections, "gan-architectures", scaleHeading, architectures, () -> GanArchitectures.section(r,
                scaleHeading, architectures));
        String toyHeading = "The toy GAN of the lecture";
        place(r, sections, "gan-toy", toyHeading, toyMetrics, () -> r.section(toyHeading, "Real data N(3, 1); the "
                + "generator shifts noise by theta; a logistic-regression discriminator. Frames as in Goodfellow et al. "
                + "(2014), Figure 1: data dotted, generator solid, discriminator dashed; then theta's path, the learned "
                + "against the optimal discriminator, and the earth mover's distance to the data.",
                List.of("gan-toy/" + ToyGanJob.FRAMES, "gan-toy/theta.png", "gan-toy/discriminator.png",
                        "gan-toy/emd.png"), toyMetrics));
        String landscapeHeading = "The Nash equilibrium is a saddle point";
        place(r, sections, "gan-landscape", landscapeHeading, landscape ? Boolean.TRUE : null, () -> r.section(landscapeHeading,
                "The GAN value over the discriminator's slope and the generator's shift, with the path alternating "
                + "gradient steps take: they circle the equilibrium instead of walking straight to it.",
                List.of("gan-landscape/landscape.png"), null));
        String mogHeading = "Mode collapse on a grid of 25 Gaussians";
        place(r, sections, "mog", mogHeading, mog, () -> r.section(mogHeading, "PacGAN's benchmark (Lin et al. 2018): "
                + "means on {-4,-2,0,2,4}^2, std 0.05; of 2500 samples, a sample is high quality within 3 std of a "
                + "mode, a mode is covered when a high-quality sample is nearest to it. The same MLPs and schedule ("
                + mogIters + " iterations of 5 discriminator steps and one generator step) with WGAN-GP, then with the "
                + "minimax loss, which drops modes. Scatter plots at 0, 10%, 30% and 100% of training, then modes, "
                + "quality and earth mover's distance over training. scripts/grid_experiment.sh trains 10000 "
                + "iterations, where samples sharpen further.", List.of("mog-wgan-gp/samples.png",
                        "mog-minimax/samples.png", "mog-compare/" + MogComparison.FIGURE), mogTable(mog)));
        return r.render();
    }
}
