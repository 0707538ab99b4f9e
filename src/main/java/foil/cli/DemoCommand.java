package foil.cli;

import foil.data.DataSource;
import foil.report.Json;
import foil.report.RunDirectory;
import foil.run.DemoJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Foil's main job: train a CNN on Fashion-MNIST, sweep FGSM and PGD, craft L-BFGS minimal "
                + "examples, train a PGD-robust CNN beside it, probe hidden units, run the toy GAN, WGAN-GP against minimax on a grid of Gaussians and a short DCGAN, "
                + "and write figures, metrics and index.html.")
final class DemoCommand implements Callable<Integer> {
    @Option(names = "--data", description = "Dataset: fashion-mnist, mnist, or a directory of IDX files.")
    String data = "fashion-mnist";

    @Option(names = "--out", description = "Run directory to write.")
    Path out = Path.of("runs/demo");

    @Option(names = "--epochs", description = "Training epochs of the CNN.")
    int epochs = 3;

    @Option(names = "--sweep-n", description = "Test images per point of the sweeps.")
    int sweepN = 500;

    @Option(names = "--attack-n", description = "Test images for the PGD attack.")
    int attackN = 1000;

    @Option(names = "--lbfgs-n", description = "Test images for the L-BFGS attack.")
    int lbfgsN = 16;

    @Option(names = "--robust-n", description = "Training images of the PGD-trained cnn.")
    int robustN = 10000;

    @Option(names = "--gan-epochs", description = "Epochs of the demo's DCGAN (0 leaves it out).")
    int ganEpochs = 1;

    @Option(names = "--mog-iters", description = "Iterations of the two GANs on the 25-Gaussian grid (0 leaves them out).")
    int mogIters = 3000;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        if (sweepN < 1 || attackN < 1 || lbfgsN < 1 || robustN < 100 || ganEpochs < 0
                || mogIters < 0) {
            throw new foil.FoilException("--sweep-n, --attack-n and --lbfgs-n must be positive, --robust-n at least 100, "
                    + "--gan-epochs and --mog-iters at least 0");
        }
        DataSource source = DataSource.locate(data);
        RunDirectory dir = RunDirectory.create(out, common.force);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("epochs", epochs);
        options.put("sweep_n", sweepN);
        options.put("attack_n", attackN);
        options.put("lbfgs_n", lbfgsN);
        options.put("robust_n", robustN);
        options.put("gan_epochs", ganEpochs);
        options.put("mog_iters", mogIters);
        dir.writeRun("demo", Cli.args(), options, common.seed, source.describe());
        Map<String, Object> summary = new DemoJob(source, epochs, sweepN, attackN, lbfgsN, robustN, ganEpochs, mogIters,
                common.seed, common.force)
                .execute(dir);
        System.out.println("foil demo: report at " + dir.resolve("index.html").toAbsolutePath());
        System.out.println(Json.line(Map.of("test_accuracy", summary.get("test_accuracy"))));
        return 0;
    }
}
