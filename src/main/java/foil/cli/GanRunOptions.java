package foil.cli;

import foil.FoilException;
import foil.gan.GanLoss;
import foil.gan.GanTrainer;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every GAN training command shares: step schedule, discriminator rate, checkpoints, out/resume. */
public class GanRunOptions {
    @Option(names = "--d-steps", description = "Discriminator steps per generator step (default: 5 for wgan and "
            + "wgan-gp, 1 otherwise).")
    Integer dSteps;

    @Option(names = "--lr-d", description = "Adam learning rate of the discriminator (default: --lr).")
    Float lrD;

    @Option(names = "--beta1", description = "Adam beta1 (GAN-typical and DCGAN's 0.5).")
    float beta1 = 0.5f;

    @Option(names = "--lr-decay", negatable = true, description = "Let both learning rates fall linearly to 0 by the "
            + "last iteration, which sharpens the samples at the end (default: on for gan mog, off for gan train).")
    Boolean lrDecay;

    @Option(names = "--gp-weight", description = "WGAN-GP's penalty weight lambda (default: 0.1 for gan mog, as "
            + "Gulrajani et al.'s 2-D toys; 10 for gan train).")
    Float gpWeight;

    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints (also every 3 minutes).")
    int checkpointEvery = 500;

    @Mixin
    OutputOption.UnlessResumed output;

    @Option(names = "--resume", description = "Continue the stopped run in this directory, with its own options.")
    Path resume;

    /** The loss named, with this run's penalty weight (WGAN-GP's default lambda, 10, unless given). */
    GanLoss loss(String name) {
        return loss(name, null);
    }

    /** The loss named, with this run's penalty weight, or {@code defaultGpWeight} for WGAN-GP when none is given. */
    GanLoss loss(String name, Float defaultGpWeight) {
        GanLoss loss = GanLoss.of(name);
        if (gpWeight == null) {
            return defaultGpWeight != null && loss instanceof foil.gan.WassersteinGpLoss
                    ? new foil.gan.WassersteinGpLoss(defaultGpWeight) : loss;
        }
        if (!(loss instanceof foil.gan.WassersteinGpLoss)) {
            throw new FoilException("--gp-weight applies to --loss wgan-gp only");
        }
        if (!(gpWeight > 0 && gpWeight < 1e4)) {
            throw new FoilException("--gp-weight must be in (0, 10000), got " + gpWeight);
        }
        return new foil.gan.WassersteinGpLoss(gpWeight);
    }

    /** The trainer's settings from these options and the command's own rate, beta2, batch and schedule. */
    GanTrainer.Options trainer(GanLoss loss, int iterations, int batch, float lr, float beta2, long seed, int logEvery,
            boolean decayByDefault) {
        return new GanTrainer.Options(loss, iterations, batch, dSteps == null ? loss.defaultDSteps() : dSteps, lr,
                lrD == null ? lr : lrD, beta1, beta2, seed, checkpointEvery, logEvery,
                lrDecay == null ? decayByDefault : lrDecay);
    }
}
