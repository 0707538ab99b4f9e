package foil.cli;

import foil.data.DataSource;
import foil.model.Architecture;
import foil.model.TrainOptions;
import foil.report.Json;
import foil.report.RunDirectory;
import foil.run.TrainJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train a classifier and write it as a model directory (parameters, model.json, run.json, metrics.json).")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "Dataset: fashion-mnist, mnist, or a directory of IDX files.")
    String data;

    @Option(names = "--arch", description = "Architecture: softmax, mlp, cnn, bench-cnn.")
    String arch = "cnn";

    @Option(names = "--epochs", description = "Passes over the training set.")
    int epochs = 3;

    @Option(names = "--batch", description = "Mini-batch size.")
    int batch = 128;

    @Option(names = "--lr", description = "Adam learning rate.")
    float lr = 2e-3f;

    @Option(names = "--weight-decay", description = "Weight decay (L2 penalty).")
    float weightDecay = 0f;

    @Option(names = "--train-subset", description = "Train on examples A:B of the training set only (e.g. 0:30000).")
    String trainSubset;

    @Option(names = "--out", required = true, description = "Directory to write the model into.")
    Path out;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        Architecture architecture = Architecture.of(arch);
        TrainOptions options = new TrainOptions(epochs, batch, lr, weightDecay, common.seed);
        int[] subset = Cli.parseSubset(trainSubset);
        DataSource source = DataSource.locate(data);
        RunDirectory dir = RunDirectory.create(out, common.force);
        dir.writeRun("train", Cli.args(), Map.of("arch", arch, "train", options, "train_subset",
                trainSubset == null ? "all" : trainSubset), common.seed, source.describe());
        TrainJob.Result r = new TrainJob(source, architecture, options, subset).execute(dir);
        r.model().close();
        System.out.println(Json.line(Map.of("test_accuracy", r.metrics().get("test_accuracy"), "out", out.toString())));
        return 0;
    }
}
