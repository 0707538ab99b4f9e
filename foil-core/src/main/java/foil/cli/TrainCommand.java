package foil.cli;

import foil.data.DataSource;
import foil.model.Architecture;
import foil.model.TrainOptions;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.TrainJob;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Train a classifier and write it as a model directory (parameters, model.json, run.json, metrics.json).")
final class TrainCommand implements Callable<Integer> {
    @Mixin
    DataOption.Required data;

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

    @Option(names = "--adv", description = "Adversarial training: pgd (Madry), fgsm-fast (Wong, random start) or trades.")
    String adv;

    @Option(names = "--eps", description = "L-inf radius of the training attack (with --adv).")
    Float eps;

    @Option(names = "--adv-steps", description = "Steps of the training attack (default: pgd 7, fgsm-fast 1, trades 10).")
    Integer advSteps;

    @Option(names = "--adv-step-size", description = "Step size of the training attack (default: pgd 2.5*eps/steps, "
            + "fgsm-fast 1.25*eps, trades eps/4).")
    Float advStepSize;

    @Option(names = "--trades-beta", description = "TRADES' weight of the KL term (default 6).")
    Float tradesBeta;

    @Option(names = "--robust-n", description = "Test images for the robust accuracy of an adversarially trained model.")
    int robustN = 1000;

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
        foil.defense.AdversarialTraining adversarial = null;
        if (adv != null) {
            if (eps == null) {
                throw new foil.FoilException("--adv " + adv + " needs --eps (e.g. --eps 0.1)");
            }
            adversarial = foil.defense.AdversarialTraining.of(foil.defense.AdversarialTraining.Method.of(adv), eps,
                    advSteps, advStepSize, tradesBeta);
        } else if (eps != null || advSteps != null || advStepSize != null || tradesBeta != null) {
            throw new foil.FoilException("--eps, --adv-steps, --adv-step-size and --trades-beta need --adv");
        }
        if (robustN < 1) {
            throw new foil.FoilException("--robust-n must be positive");
        }
        DataSource source = data.locate();
        RunDirectory dir = common.startRun(out, source.describe(),
                java.util.Collections.singletonMap("adversarial", adversarial)); // its defaults filled in
        TrainJob.Result r = new TrainJob(source, architecture, options, subset, adversarial, robustN).execute(dir);
        r.model().close();
        Map<String, Object> line = new java.util.LinkedHashMap<>();
        line.put("test_accuracy", r.metrics().get("test_accuracy"));
        if (r.metrics().containsKey("robust_accuracy")) {
            line.put("robust_accuracy", r.metrics().get("robust_accuracy"));
        }
        line.put("out", out.toString());
        System.out.println(Json.line(line));
        return 0;
    }
}
