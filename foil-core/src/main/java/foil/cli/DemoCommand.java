package foil.cli;

import foil.data.DataSource;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.DemoJob;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "demo", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Foil's main job: train a CNN on Fashion-MNIST, sweep FGSM and PGD, craft L-BFGS minimal "
                + "examples, train a PGD-robust CNN beside it, probe hidden units, run the toy GAN, WGAN-GP against minimax on a grid of Gaussians and a short DCGAN, "
                + "and write figures, metrics and index.html. A section that fails is reported in index.html and "
                + "metrics.json (failed_sections) while the others run; the exit code is then 1.")
final class DemoCommand implements Callable<Integer> {
    @Mixin
    DataOption.Default data;

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

    @Option(names = "--eval-n", description = "Test images of the robustness evaluation (AutoAttack's standard "
            + "ensemble on both cnns and a gradient-masked one; 0 leaves it out).")
    int evalN = 100;

    @Option(names = "--gan-epochs", description = "Epochs of the demo's DCGAN (0 leaves it out).")
    int ganEpochs = 1;

    @Option(names = "--mog-iters", description = "Iterations of the two GANs on the 25-Gaussian grid (0 leaves them out).")
    int mogIters = 3000;

    @Option(names = "--arch-images", description = "Images each of progressive growing and StyleGAN trains on "
            + "(progressive growing spreads them over its seven stages; 0 leaves both out).")
    long archImages = 14_000;

    @Option(names = "--fail-section", hidden = true, split = ",", paramLabel = "SECTION",
            description = "Make these sections throw on purpose, to see how the demo reports a failure.")
    List<String> failSections = List.of();

    @Mixin
    Common common;

    @Spec
    CommandSpec spec;

    /**
     * Runs the demo and returns 0, or 1 when a section failed: the report is written all the same, with the failure
     * in place of that section, and standard error gets one line per failed section.
     */
    @Override
    public Integer call() {
        common.apply();
        if (sweepN < 1 || attackN < 1 || lbfgsN < 1 || robustN < 100 || evalN < 0 || ganEpochs < 0
                || mogIters < 0 || archImages < 0) {
            throw new foil.FoilException("--sweep-n, --attack-n and --lbfgs-n must be positive, --robust-n at least 100, "
                    + "--eval-n, --gan-epochs, --mog-iters and --arch-images at least 0");
        }
        DataSource source = data.locate();
        DemoJob job = new DemoJob(source, epochs, sweepN, attackN, lbfgsN, robustN, evalN, ganEpochs, mogIters, archImages, common.seed,
                common.force, new LinkedHashSet<>(failSections));
        RunDirectory dir = common.startRun(out, source.describe());
        DemoJob.Result result = job.execute(dir);
        System.out.println("foil demo: report at " + dir.resolve("index.html").toAbsolutePath());
        Object accuracy = result.summary().get("test_accuracy");
        if (accuracy != null) {
            System.out.println(Json.line(Map.of("test_accuracy", accuracy)));
        }
        PrintWriter err = spec.commandLine().getErr();
        for (DemoJob.Failure f : result.failures()) {
            err.println(f.section().equals(DemoJob.CLASSIFIER)
                    ? "foil demo: the classifier could not be trained, so no other section ran: " + f.error()
                    : "foil demo: section " + f.section() + " failed: " + f.error());
        }
        err.flush();
        return result.failures().isEmpty() ? 0 : 1;
    }
}
