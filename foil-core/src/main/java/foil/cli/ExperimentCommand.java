package foil.cli;

import foil.data.DataSource;
import foil.features.NonRobustDataset;
import foil.model.Architecture;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.RobustFeaturesExperiment;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "experiment", mixinStandardHelpOptions = true,
        description = "Multi-stage experiments from the lecture.",
        subcommands = {ExperimentCommand.RobustFeatures.class})
final class ExperimentCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), "choose a subcommand: robust-features");
    }

    @Command(name = "robust-features", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Ilyas et al.'s four regimes (the lecture's bar chart): standard and adversarial training on "
                    + "D, standard training on the robustified D_R and on the non-robust D_NR; each model's standard "
                    + "and adversarial accuracy on D's test set (metrics.json 'regimes', regimes.png). About half an "
                    + "hour on two cores with the defaults; --quick takes minutes. --resume continues a stopped run.")
    static final class RobustFeatures implements Callable<Integer> {
        @Option(names = "--data", description = "Dataset D: fashion-mnist, mnist, or a directory of IDX files.")
        String data = "fashion-mnist";

        @Option(names = "--quick", description = "Small settings for a run of minutes (2000 images, fewer steps): "
                + "the pattern is weaker.")
        boolean quick;

        @Option(names = "--train-n", description = "Training images of D used (the first N; default 20000, quick 2000).")
        Integer trainN;

        @Option(names = "--epochs", description = "Epochs of every training (default 4, quick 3).")
        Integer epochs;

        @Option(names = "--adv-eps", description = "L-inf radius of the adversarial training (default 0.1).")
        Float advEps;

        @Option(names = "--nr-eps", description = "L2 radius of D_NR's targeted PGD (default 2.0).")
        Float nrEps;

        @Option(names = "--nr-steps", description = "Steps of D_NR's PGD (default 50, quick 20).")
        Integer nrSteps;

        @Option(names = "--targets", description = "D_NR targets: random or next (default random).")
        String targets;

        @Option(names = "--dr-steps", description = "Gradient steps per D_R image (default 100, quick 30).")
        Integer drSteps;

        @Option(names = "--eval-eps", description = "L-inf radius of the adversarial test (default 0.1).")
        Float evalEps;

        @Option(names = "--eval-n", description = "Test images attacked (default 1000, quick 200).")
        Integer evalN;

        @Mixin
        OutputOption.UnlessResumed output;

        @Option(names = "--resume", description = "Continue the stopped experiment in this directory: finished stages "
                + "are kept.")
        Path resume;

        @Mixin
        Common common;

        @Override
        public Integer call() throws java.io.IOException {
            common.apply();
            if (resume != null) {
                if (output.out != null || quick || trainN != null || epochs != null || advEps != null || nrEps != null
                        || nrSteps != null || targets != null || drSteps != null || evalEps != null || evalN != null) {
                    throw new foil.FoilException("--resume continues a run with its own options: give only --resume DIR "
                            + "(and --threads, --quiet)");
                }
                RobustFeatures original = new RobustFeatures();
                new picocli.CommandLine(original).parseArgs(GanCommand.originalArgs(resume, "experiment robust-features"));
                original.common.threads = common.threads;
                original.common.quiet = common.quiet;
                return original.execute(RunDirectory.reopen(resume), true, original.settings(),
                        DataSource.locate(original.data));
            }
            Path out = output.require();
            RobustFeaturesExperiment.Settings s = settings(); // rejects bad options before anything is written
            DataSource source = DataSource.locate(data);
            s.requireTrainingImages(source.train().size());
            RunDirectory dir = common.startRun(out, source.describe(), Map.of("settings", s));
            return execute(dir, false, s, source);
        }

        /** The defaults (or the quick ones) with the options given. */
        private RobustFeaturesExperiment.Settings settings() {
            RobustFeaturesExperiment.Settings b = quick ? RobustFeaturesExperiment.Settings.quick(common.seed)
                    : RobustFeaturesExperiment.Settings.defaults(common.seed);
            return new RobustFeaturesExperiment.Settings(Architecture.CNN, or(trainN, b.trainN()), or(epochs, b.epochs()),
                    or(advEps, b.advEps()), b.advSteps(), or(nrEps, b.nrEps()), or(nrSteps, b.nrSteps()),
                    targets == null ? b.targets() : NonRobustDataset.Targets.of(targets), or(drSteps, b.drSteps()),
                    b.drStepSize(), or(evalEps, b.evalEps()), b.evalSteps(), or(evalN, b.evalN()), common.seed);
        }

        private int execute(RunDirectory dir, boolean resuming, RobustFeaturesExperiment.Settings s,
                DataSource source) {
            Map<String, Object> m = new RobustFeaturesExperiment(s, resuming).execute(source, dir);
            System.out.println(Json.line(Map.of("regimes", m.get("regimes"))));
            return 0;
        }

        private static <T> T or(T value, T fallback) {
            return value == null ? fallback : value;
        }
    }
}
