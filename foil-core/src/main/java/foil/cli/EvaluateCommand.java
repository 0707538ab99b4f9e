package foil.cli;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.EvaluationRun;
import foil.eval.RobustnessEvaluation;
import foil.eval.Shard;
import foil.io.RunDirectory;
import foil.model.Classifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "evaluate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "A robustness evaluation one can trust: AutoAttack's ensemble (each attack on the images the "
                + "earlier ones failed on), robust accuracy after each attack, and checks that flag gradient "
                + "masking; per_image.csv, metrics.json, robust_accuracy.png. Shards with --shard i/N, joined "
                + "with --merge; or --spark MASTER runs it as a Spark job (per_image.parquet too).")
final class EvaluateCommand implements Callable<Integer> {
    @Mixin
    EvaluationOptions evaluation;

    @Option(names = "--eps", description = "Budget, or several separated by commas for the curve (0.05,0.1,0.2).")
    String eps;

    @Option(names = "--shard", description = "Evaluate part i of N of the images (whole batches), e.g. 2/4.")
    String shard;

    @Option(names = "--merge", arity = "1..*", description = "Merge the run directories of all shards of one evaluation into --out.")
    List<Path> merge;

    @Option(names = "--save-examples", description = "Also write examples.npz (x, x_adv, y, pred_adv).")
    boolean saveExamples;

    @Mixin
    OutputOption output;

    @Mixin
    SparkOption spark;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        if (spark.requested()) {
            if (merge != null || shard != null || saveExamples) {
                throw new FoilException("--spark splits the images itself: drop --merge, --shard and --save-examples");
            }
            return SparkOption.handOff();
        }
        common.apply();
        if (merge != null) {
            if (evaluation.model != null || eps != null || shard != null) {
                throw new FoilException("--merge takes only the shards' directories and --out: drop --model, --eps "
                        + "and --shard");
            }
            RunDirectory dir = common.startRun(output.out, Map.of("merged", merge.toString()));
            EvaluationOptions.print(EvaluationRun.merge(merge, dir));
            return 0;
        }
        float[] budgets = EvaluationOptions.parseEps(eps);
        RobustnessEvaluation e = evaluation.build(budgets, common.seed, shard == null ? Shard.WHOLE
                : Shard.parse(shard));
        DataSource source = evaluation.source();
        ImageDataset test = source.test();
        try (Classifier c = evaluation.open(test)) {
            RunDirectory dir = common.startRun(output.out, source.describe(), Map.of("attacks", e.attacks()));
            EvaluationOptions.print(EvaluationRun.execute(e, c, test, dir, saveExamples,
                    Map.of("data", test.name())));
        }
        return 0;
    }
}
