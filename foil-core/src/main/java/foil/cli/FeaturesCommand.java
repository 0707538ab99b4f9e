package foil.cli;

import foil.FoilException;
import foil.data.ImageDataset;
import foil.features.NonRobustDataset;
import foil.features.RobustDataset;
import foil.features.Usefulness;
import foil.model.Classifier;
import foil.model.FoilModel;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.FeaturesJobs;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "features", mixinStandardHelpOptions = true,
        description = "Robust and non-robust features (Ilyas et al. 2019): usefulness of a model's features, and the "
                + "robustified (D_R) and non-robust (D_NR) training sets.",
        subcommands = {FeaturesCommand.UsefulnessCmd.class, FeaturesCommand.RobustDatasetCmd.class,
            FeaturesCommand.NonRobustDatasetCmd.class})
final class FeaturesCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                "choose a subcommand: usefulness, robust-dataset or nonrobust-dataset");
    }

    @Command(name = "usefulness", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "For a binary task (two classes, y = +1 / -1), each feature's rho-usefulness E[y f(x)] and "
                    + "gamma-robust usefulness E[min over the L-inf eps ball of y f(x+d)] (PGD on that feature), "
                    + "features normalised to mean 0 and variance 1 and oriented to predict y: usefulness.csv, "
                    + "metrics.json and usefulness.png, rho against gamma.")
    static final class UsefulnessCmd implements Callable<Integer> {
        @Mixin
        ModelInput input;

        @Option(names = "--classes", required = true, split = ",", description = "The two classes: y = +1, y = -1.")
        List<Integer> classes;

        @Option(names = "--eps", required = true, description = "L-inf radius of the robust usefulness.")
        float eps;

        @Option(names = "--layer", description = "Layer whose units are the features.")
        String layer = "penultimate";

        @Option(names = "--n", description = "Test images of the two classes used (the first N).")
        int n = 200;

        @Option(names = "--steps", description = "PGD steps per feature.")
        int steps = 10;

        @Option(names = "--batch", description = "Batch size.")
        int batch = 256;

        @Mixin
        OutputOption output;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            if (classes.size() != 2) {
                throw new FoilException("--classes takes two classes, e.g. --classes 0,6");
            }
            if (n < 2 || batch < 1) {
                throw new FoilException("--n must be at least 2 and --batch positive");
            }
            Usefulness u = Usefulness.of(eps, steps, common.seed);
            ModelInput.Opened opened = input.open();
            try (Classifier c = opened.classifier()) {
                FoilModel model = input.foilModel(c);
                String name = model.resolveLayer(layer);
                ImageDataset pair = Usefulness.binary(opened.test(), classes.get(0), classes.get(1)).head(n);
                RunDirectory dir = common.startRun(output.out, opened.source().describe(), Map.of("layer", name));
                Map<String, Object> m = FeaturesJobs.usefulness(u, model, name, pair, classes.get(0), classes.get(1),
                        opened.source().classNames(c.numClasses()), batch, dir);
                Map<String, Object> line = new LinkedHashMap<>(m);
                line.remove("rho");
                line.remove("gamma");
                System.out.println(Json.line(line));
            }
            return 0;
        }
    }

    @Command(name = "robust-dataset", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "D_R: each training image rebuilt from a random other one by gradient descent so that the "
                    + "robust model's representation matches the original's; label kept. Written as IDX (float32) "
                    + "with the original test set, for any --data DIR command.")
    static final class RobustDatasetCmd implements Callable<Integer> {
        @Mixin
        ModelInput input;

        @Mixin
        DatasetOptions.Robust options;

        @Mixin
        DatasetBuild build;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            if (build.spark.requested()) {
                return SparkOption.handOff();
            }
            common.apply();
            RobustDataset spec = options.spec();
            ModelInput.Opened opened = input.open();
            try (Classifier c = opened.classifier()) {
                FoilModel model = input.foilModel(c);
                model.resolveLayer(spec.layer());
                ImageDataset train = build.trainingImages(opened.source());
                RunDirectory dir = common.startRun(build.out, opened.source().describe(), Map.of("n", train.size()));
                Map<String, Object> m = FeaturesJobs.robust(spec, model, train, opened.test(),
                        opened.source().classNames(c.numClasses()), common.seed, build.batch, dir);
                System.out.println(Json.line(m));
            }
            return 0;
        }
    }

    @Command(name = "nonrobust-dataset", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "D_NR: each training image pushed by targeted L2 PGD on a standard model toward a target "
                    + "class t and relabelled t. Written as IDX (float32) with the original test set.")
    static final class NonRobustDatasetCmd implements Callable<Integer> {
        @Mixin
        ModelInput input;

        @Mixin
        DatasetOptions.NonRobust options;

        @Mixin
        DatasetBuild build;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            if (build.spark.requested()) {
                return SparkOption.handOff();
            }
            common.apply();
            NonRobustDataset spec = options.spec();
            NonRobustDataset.Targets t = spec.targets();
            ModelInput.Opened opened = input.open();
            try (Classifier c = opened.classifier()) {
                ImageDataset train = build.trainingImages(opened.source());
                RunDirectory dir = common.startRun(build.out, opened.source().describe(),
                        Map.of("targets", t.cliName, "n", train.size(), "step_size", spec.stepSize()));
                Map<String, Object> m = FeaturesJobs.nonRobust(spec, c, train, opened.test(),
                        opened.source().classNames(c.numClasses()), common.seed, build.batch, dir);
                System.out.println(Json.line(m));
            }
            return 0;
        }
    }
}
