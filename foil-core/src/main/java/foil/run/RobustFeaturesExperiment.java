package foil.run;

import foil.FoilException;
import foil.attack.AttackRun;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Targeting;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.defense.AdversarialTraining;
import foil.features.NonRobustDataset;
import foil.features.RobustDataset;
import foil.model.Architecture;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.report.Charts;
import foil.io.Json;
import foil.report.Png;
import foil.io.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The lecture's "training data can be tweaked" bar chart (Ilyas et al. 2019, figure 2): four regimes, each
 * tested on the real test set for standard accuracy and for accuracy under PGD,
 * <ol>
 *   <li>std_d: standard training on D,</li>
 *   <li>adv_d: adversarial (PGD) training on D,</li>
 *   <li>std_d_r: standard training on D_R, rebuilt from adv_d's representation,</li>
 *   <li>std_d_nr: standard training on D_NR, std_d's targeted adversarial examples relabelled as their
 *       targets.</li>
 * </ol>
 * Every stage writes its own run directory under the experiment's; a stage whose metrics.json exists is
 * done, so an interrupted experiment resumes from the first unfinished stage.
 */
public final class RobustFeaturesExperiment {
    private final Settings s;
    private final boolean resume;
    private boolean stale;

    public RobustFeaturesExperiment(Settings s, boolean resume) {
        this.s = s;
        this.resume = resume;
    }


    /** Every knob, with defaults for about half an hour on two cores and a quick setting for minutes. */
    public record Settings(Architecture arch, int trainN, int epochs, float advEps, int advSteps, float nrEps,
            int nrSteps, NonRobustDataset.Targets targets, int drSteps, float drStepSize, float evalEps, int evalSteps,
            int evalN, long seed) {
        public Settings {
            if (trainN < 10 || epochs < 1 || evalN < 1 || evalSteps < 1 || !(evalEps > 0f) || evalEps > 1f) {
                throw new FoilException("--train-n must be at least 10, --epochs, --eval-n and --eval-steps positive, "
                        + "--eval-eps in (0, 1]");
            }
            // every stage's settings are checked now, not an hour into the run (the fields are not set yet)
            trainOptions(epochs, seed);
            adversarialTraining(advEps, advSteps);
            NonRobustDataset.of(nrEps, nrSteps, targets);
            new RobustDataset("penultimate", drSteps, drStepSize);
        }

        /** Every training's settings (Adam at 2e-3, batch 128). */
        TrainOptions trainOptions() {
            return trainOptions(epochs, seed);
        }

        private static TrainOptions trainOptions(int epochs, long seed) {
            return new TrainOptions(epochs, 128, 2e-3f, 0f, seed);
        }

        AdversarialTraining adversarialTraining() {
            return adversarialTraining(advEps, advSteps);
        }

        private static AdversarialTraining adversarialTraining(float eps, int steps) {
            return AdversarialTraining.of(AdversarialTraining.Method.PGD, eps, steps, null, null);
        }

        NonRobustDataset nonRobustDataset() {
            return NonRobustDataset.of(nrEps, nrSteps, targets);
        }

        RobustDataset robustDataset() {
            return new RobustDataset("penultimate", drSteps, drStepSize);
        }

        /** Rejects a --train-n beyond the training set's {@code available} images. */
        public void requireTrainingImages(int available) {
            if (trainN > available) {
                throw new FoilException("--train-n " + trainN + " is more than the " + available + " training images");
            }
        }

        public static Settings defaults(long seed) {
            return new Settings(Architecture.CNN, 20000, 4, 0.1f, 7, 2.0f, 50, NonRobustDataset.Targets.RANDOM, 100,
                    0.5f, 0.1f, 20, 1000, seed);
        }

        public static Settings quick(long seed) {
            return new Settings(Architecture.CNN, 2000, 3, 0.1f, 5, 2.0f, 20, NonRobustDataset.Targets.RANDOM, 30,
                    0.5f, 0.1f, 10, 200, seed);
        }
    }

    public static final String CHART = "regimes.png";
    static final List<String> REGIMES = List.of("std_d", "adv_d", "std_d_r", "std_d_nr");

    public Map<String, Object> execute(DataSource source, RunDirectory dir) {
        ImageDataset full = source.train();
        stale = !resume;
        s.requireTrainingImages(full.size());
        int[] subset = {0, s.trainN()};
        TrainOptions train = s.trainOptions();
        AdversarialTraining adv = s.adversarialTraining();
        Path stdD = trainStage(dir, "std_d", source, subset, train, null);
        Path advD = trainStage(dir, "adv_d", source, subset, train, adv);
        ImageDataset d = full.slice(0, s.trainN());
        Path dR = dir.resolve("d_r");
        if (!done(dR)) {
            RunDirectory sub = RunDirectory.create(dR, true);
            sub.writeRun("features robust-dataset", List.of(), Map.of("model", advD.toString(), "steps", s.drSteps(),
                    "step_size", s.drStepSize()), s.seed(), source.describe());
            try (FoilModel robust = FoilModel.load(advD)) {
                FeaturesJobs.robust(s.robustDataset(), robust, d,
                        source.test(), source.classNames(full.numClasses()), s.seed(), 250, sub);
            }
        }
        Path dNr = dir.resolve("d_nr");
        if (!done(dNr)) {
            RunDirectory sub = RunDirectory.create(dNr, true);
            NonRobustDataset spec = s.nonRobustDataset();
            sub.writeRun("features nonrobust-dataset", List.of(), Map.of("model", stdD.toString(), "eps", s.nrEps(),
                    "steps", s.nrSteps(), "targets", s.targets().cliName), s.seed(), source.describe());
            try (FoilModel standard = FoilModel.load(stdD)) {
                FeaturesJobs.nonRobust(spec, standard, d, source.test(), source.classNames(full.numClasses()), s.seed(),
                        250, sub);
            }
        }
        trainStage(dir, "std_d_r", DataSource.locate(dR.toString()), null, train, null);
        trainStage(dir, "std_d_nr", DataSource.locate(dNr.toString()), null, train, null);

        ImageDataset test = source.test();
        Pgd pgd = Pgd.of(Norm.LINF, s.evalEps(), s.evalSteps());
        Map<String, Object> regimes = new LinkedHashMap<>();
        double[][] bars = new double[2][REGIMES.size()];
        for (int r = 0; r < REGIMES.size(); r++) {
            Path modelDir = dir.resolve(REGIMES.get(r));
            try (FoilModel m = FoilModel.load(modelDir)) {
                double std = ((Number) readMetrics(modelDir).get("test_accuracy")).doubleValue();
                AttackRun.Outcome o = AttackRun.run(pgd, m, test.head(s.evalN()), Targeting.untargeted(), 250, s.seed(),
                        false);
                Map<String, Object> one = new LinkedHashMap<>();
                one.put("std_accuracy", std);
                one.put("adv_accuracy", o.robustAccuracy());
                one.put("model", REGIMES.get(r));
                regimes.put(REGIMES.get(r), one);
                bars[0][r] = std;
                bars[1][r] = o.robustAccuracy();
            }
        }
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("regimes", regimes);
        metrics.put("adv_eval", String.format("PGD-%d L-inf eps %s on the first %d test images, correct on the clean "
                + "image and on the adversarial one (RobustBench)", s.evalSteps(),
                s.evalEps(), Math.min(s.evalN(), test.size())));
        metrics.put("std_eval", "all " + test.size() + " test images");
        metrics.put("settings", s);
        metrics.put("d_r", readMetrics(dR));
        metrics.put("d_nr", readMetrics(dNr));
        dir.writeMetrics(metrics);
        Png.write(Charts.bars("Training on tweaked data (test set of " + source.name() + ")", "accuracy",
                List.of("Std training on D", "Adv training on D", "Std training on D_R", "Std training on D_NR"),
                List.of("std accuracy", String.format("adv accuracy (L-inf eps %s)", s.evalEps())), bars),
                dir.resolve(CHART));
        return metrics;
    }

    private Path trainStage(RunDirectory dir, String name, DataSource data, int[] subset, TrainOptions options,
            AdversarialTraining adv) {
        Path p = dir.resolve(name);
        if (!done(p)) {
            RunDirectory sub = RunDirectory.create(p, true);
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("arch", s.arch().cliName);
            o.put("train", options);
            o.put("train_subset", subset == null ? "all" : subset[0] + ":" + subset[1]);
            o.put("adversarial", adv);
            sub.writeRun("train", List.of(), o, s.seed(), data.describe());
            new TrainJob(data, s.arch(), options, subset, adv, Math.min(s.evalN(), 1000)).execute(sub).model().close();
        }
        return p;
    }

    /**
     * When resuming, a stage is done when its metrics.json, written last, is there, and no stage before it had
     * to run again (what follows a recomputed stage is recomputed too). A new run recomputes everything.
     */
    private boolean done(Path stage) {
        if (!stale && finished(stage)) {
            return true;
        }
        stale = true;
        try {
            Files.deleteIfExists(stage.resolve(RunDirectory.METRICS_FILE)); // not done until written again
        } catch (java.io.IOException e) {
            throw new FoilException("cannot reset " + stage + ": " + e.getMessage());
        }
        return false;
    }

    static boolean finished(Path stage) {
        return Files.isRegularFile(stage.resolve(RunDirectory.METRICS_FILE));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> readMetrics(Path stage) {
        try {
            return Json.MAPPER.readValue(stage.resolve(RunDirectory.METRICS_FILE).toFile(), Map.class);
        } catch (java.io.IOException e) {
            throw new FoilException("cannot read " + stage.resolve(RunDirectory.METRICS_FILE) + ": " + e.getMessage());
        }
    }
}
