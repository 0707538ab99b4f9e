package foil.spark;

import foil.FoilException;
import foil.cli.Common;
import foil.cli.DatasetBuild;
import foil.cli.DatasetOptions;
import foil.cli.EvaluationOptions;
import foil.cli.Main;
import foil.cli.ModelInput;
import foil.cli.SparkOption;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.RobustnessEvaluation;
import foil.eval.Shard;
import foil.features.RobustDataset;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.model.Classifier;
import java.io.PrintWriter;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Foil's Spark jobs, each a command with the options of Foil's single-machine command and {@code --spark MASTER}
 * (or spark-submit's master): {@code evaluate}, {@code features robust-dataset|nonrobust-dataset} and
 * {@code sweep}. Bad input is one line and exit code 2, as in Foil's CLI.
 */
@Command(name = "foil-spark", mixinStandardHelpOptions = true, versionProvider = SparkMain.Version.class,
        description = "Foil's robustness evaluation, dataset generation and GAN sweeps as Apache Spark jobs.",
        subcommands = {SparkMain.Evaluate.class, SparkMain.Features.class, SparkMain.Sweep.class,
            CommandLine.HelpCommand.class})
public final class SparkMain implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    /**
     * Returns normally when the job succeeded (under spark-submit on YARN, System.exit in the application reads as
     * a failure), and exits with the job's code otherwise.
     */
    public static void main(String[] args) {
        int code = execute(args);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs a job's command line; returns its exit code (0 done, 1 internal error or failed runs, 2 bad input). */
    public static int execute(String... args) {
        return Main.execute(new SparkMain(), new PrintWriter(System.err, true), args);
    }

    /** The text given for an option (paths stay URIs: hdfs://host/x is not a local path). */
    static String raw(CommandSpec spec, String option) {
        List<String> given = spec.findOption(option).originalStringValues();
        return given.isEmpty() ? null : given.get(given.size() - 1);
    }

    @Command(name = "evaluate", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "foil evaluate on Spark: the images split into parts of whole batches, one task each; "
                    + "per_image.csv, per_image.parquet, metrics.json and robust_accuracy.png as the single-machine "
                    + "command writes them, from the same rows.")
    static final class Evaluate implements Callable<Integer> {
        @Mixin
        EvaluationOptions evaluation;

        @Option(names = "--eps", description = "Budget, or several separated by commas (0.05,0.1,0.2).")
        String eps;

        @Option(names = "--out", required = true, description = "Run directory to write: a path or a Hadoop URI "
                + "(hdfs://, s3a://).")
        String out;

        @Mixin
        SparkOption spark;

        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            common.apply();
            RobustnessEvaluation e = evaluation.build(EvaluationOptions.parseEps(eps), common.seed(), Shard.WHOLE);
            String model = raw(spec, "--model");
            if (model == null) {
                evaluation.model(); // says that it is required
            }
            try (Spark s = Spark.start("evaluate", spark.master(), common.threads())) {
                HadoopFiles.Conf hadoop = s.hadoop();
                EvaluateJob job = new EvaluateJob(e, model, evaluation.logitScale(), evaluation.dataName(), hadoop,
                        s.taskThreads());
                DataSource source = HadoopFiles.data(job.data(), hadoop);
                ImageDataset test = source.test();
                try (Classifier c = EvaluationOptions.open(HadoopFiles.local(model, hadoop), job.logitScale(), test)) {
                    c.describe(); // a model that does not open stops the job here, before any task
                }
                try (RunOutput output = RunOutput.open(out, common.force(), hadoop.get())) {
                    RunDirectory dir = common.startRun(output.local(), source.describe(), Map.of("attacks",
                            e.attacks()));
                    Map<String, Object> m = job.run(s, test, spark.partitions(), dir, output);
                    output.commit();
                    EvaluationOptions.print(m);
                }
            }
            return 0;
        }
    }

    @Command(name = "features", mixinStandardHelpOptions = true,
            description = "The robustified (D_R) and non-robust (D_NR) datasets on Spark.",
            subcommands = {RobustDatasetCmd.class, NonRobustDatasetCmd.class})
    static final class Features implements Runnable {
        @Spec
        CommandSpec spec;

        @Override
        public void run() {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "choose a subcommand: robust-dataset or nonrobust-dataset");
        }
    }

    /** What both dataset commands share: the model, the images, the output, and the run around the job. */
    abstract static class DatasetCmd implements Callable<Integer> {
        @Mixin
        ModelInput input;

        @Mixin
        DatasetBuild build;

        @Mixin
        Common common;

        @Spec
        CommandSpec spec;

        abstract Serializable settings();

        abstract Map<String, ?> resolved(Serializable spec, int n);

        @Override
        public Integer call() {
            common.apply();
            Serializable settings = settings();
            try (Spark s = Spark.start(spec.name(), build.spark().master(), common.threads())) {
                HadoopFiles.Conf hadoop = s.hadoop();
                DatasetJob job = new DatasetJob(settings, raw(spec, "--model"), input.mean(), input.std(),
                        raw(spec, "--data"), build.n(), build.trainSubset(), build.batch(), common.seed(), hadoop,
                        s.taskThreads());
                DataSource source = job.source();
                ImageDataset train = job.training();
                ImageDataset test = source.test();
                String layer = null;
                String[] classNames;
                try (Classifier c = ModelInput.load(HadoopFiles.local(job.model(), hadoop), job.mean(), job.std(),
                        test)) {
                    if (settings instanceof RobustDataset r) {
                        layer = ModelInput.requireFoilModel(c, HadoopFiles.local(job.model(), hadoop))
                                .resolveLayer(r.layer());
                    }
                    classNames = source.classNames(c.numClasses());
                }
                try (RunOutput output = RunOutput.open(raw(spec, "--out"), common.force(), hadoop.get())) {
                    RunDirectory dir = common.startRun(output.local(), source.describe(),
                            resolved(settings, train.size()));
                    Map<String, Object> m = job.run(s, train, test, layer, classNames, build.spark().partitions(), dir,
                            output);
                    output.commit();
                    System.out.println(Json.line(m));
                }
            }
            return 0;
        }
    }

    @Command(name = "robust-dataset", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "foil features robust-dataset on Spark: IDX files (any --data DIR command reads them), "
                    + "train.parquet, examples.png and metrics.json.")
    static final class RobustDatasetCmd extends DatasetCmd {
        @Mixin
        DatasetOptions.Robust options;

        @Override
        Serializable settings() {
            return options.spec();
        }

        @Override
        Map<String, ?> resolved(Serializable spec, int n) {
            return Map.of("n", n);
        }
    }

    @Command(name = "nonrobust-dataset", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "foil features nonrobust-dataset on Spark: IDX files, train.parquet, examples.png and "
                    + "metrics.json.")
    static final class NonRobustDatasetCmd extends DatasetCmd {
        @Mixin
        DatasetOptions.NonRobust options;

        @Override
        Serializable settings() {
            return options.spec();
        }

        @Override
        Map<String, ?> resolved(Serializable spec, int n) {
            foil.features.NonRobustDataset d = (foil.features.NonRobustDataset) spec;
            return Map.of("targets", d.targets().cliName, "n", n, "step_size", d.stepSize());
        }
    }

    @Command(name = "sweep", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "A grid of GAN training runs (losses x learning rates x seeds), one Spark task and one "
                    + "run directory (OUT/runs/NAME) each; sweep.csv, sweep.parquet, sweep.png and metrics.json. "
                    + "Options after -- go to every run (e.g. -- --iters 2000 --shape ring).")
    static final class Sweep implements Callable<Integer> {
        @Option(names = "--gan", description = "The runs' command: mog (foil gan mog) or train (foil gan train).")
        String gan = "mog";

        @Option(names = "--loss", split = ",", required = true, description = "Losses, e.g. minimax,wgan-gp.")
        List<String> losses;

        @Option(names = "--lr", split = ",", required = true, description = "Learning rates, e.g. 1e-3,1e-4.")
        List<String> lrs;

        @Option(names = "--seeds", split = ",", description = "Seeds of each setting.")
        List<Long> seeds = List.of(0L);

        @Option(names = "--metric", description = "The number in each run's metrics.json to chart.")
        String metric = "modes_covered";

        @Option(names = "--run-memory", description = "Java heap of each run's JVM.")
        String memory = "1g";

        @Option(names = "--out", required = true, description = "Directory to write: a path or a Hadoop URI.")
        String out;

        @Mixin
        SparkOption spark;

        @Mixin
        Common common;

        @Parameters(paramLabel = "RUN_OPTION", description = "Options for every run, after --.")
        List<String> extra = new ArrayList<>();

        @Override
        public Integer call() {
            common.apply();
            if (extra.stream().anyMatch(a -> List.of("--out", "--loss", "--lr", "--seed", "--threads", "--resume")
                    .contains(a.split("=")[0]))) {
                throw new FoilException("the sweep sets --out, --loss, --lr, --seed and --threads of each run: give "
                        + "them to the sweep, not after --");
            }
            if (spark.partitions() != null) {
                throw new FoilException("a sweep runs one task per run: drop --partitions");
            }
            try (Spark s = Spark.start("sweep", spark.master(), common.threads())) {
                SweepJob job = new SweepJob(gan, losses, lrs, seeds, extra, memory, s.hadoop(), s.taskThreads());
                try (RunOutput output = RunOutput.open(out, common.force(), s.hadoop().get())) {
                    RunDirectory dir = common.startRun(output.local(), Map.of("runs", job.grid().size()), Map.of());
                    Map<String, Object> m = job.run(s, metric, dir, output);
                    output.commit();
                    System.out.println(Json.line(m));
                    return ((List<?>) m.get("failed")).isEmpty() ? 0 : 1;
                }
            }
        }
    }

    /** Versions of Foil's Spark module and of Spark. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"foil-spark " + foil.Foil.VERSION + " (Spark " + org.apache.spark.package$.MODULE$
                    .SPARK_VERSION() + ", Java " + System.getProperty("java.version") + ")"};
        }
    }
}
