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

    @Option(names = "--beta1", description = "Adam beta1 (default: GAN-typical and DCGAN's 0.5; 0 for progressive "
            + "growing, as the paper).")
    Float beta1;

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

    /** The decay of the generator's moving average for image GANs when --ema is not given. */
    static final float DEFAULT_EMA = 0.99f;

    @Option(names = "--ema", description = "Decay of the moving average of the generator's weights (Karras et al.; "
            + "warm-up min(DECAY, (1+t)/(10+t))), checkpointed and sampled for the run's pictures and metrics and by "
            + "every command that loads the run; 0: off. gan train only (default: 0.99).")
    Float ema;

    @Option(names = "--eval-every", description = "Every N iterations, and at the start and end, KID and FID of "
            + "--eval-n samples against as many test images in the data's default feature network: eval.json, kid.png, "
            + "fid.png; 0: off. gan train only.")
    int evalEvery;

    @Option(names = "--eval-n", description = "Samples, and real test images, per --eval-every measurement (default: "
            + "1000).")
    Integer evalN;

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

    /** For the 2-D mixture GANs: --ema, --eval-every and --eval-n are for image GANs, and given here are an error. */
    void rejectImageOptions(String command) {
        if (ema != null && ema != 0) {
            throw new FoilException("--ema does not apply to " + command + ": the generator's average is kept for image "
                    + "GANs (gan train)");
        }
        if (evalEvery != 0 || evalN != null) {
            throw new FoilException("--eval-every and --eval-n do not apply to " + command + ": KID and FID score "
                    + "images (gan train); " + command + " measures modes and EMD every --log-every iterations");
        }
    }

    /** {@link #trainer} for image GANs: with the generator's average (--ema) and the eval series (--eval-every). */
    GanTrainer.Options imageTrainer(GanLoss loss, int iterations, int batch, float lr, float beta2, long seed,
            int logEvery, boolean decayByDefault) {
        return imageTrainer(loss, iterations, batch, lr, beta2, seed, logEvery, decayByDefault, 0.5f);
    }

    /** {@link #imageTrainer} with the architecture's own default beta1. */
    GanTrainer.Options imageTrainer(GanLoss loss, int iterations, int batch, float lr, float beta2, long seed,
            int logEvery, boolean decayByDefault, float defaultBeta1) {
        return trainer(loss, iterations, batch, lr, beta2, seed, logEvery, decayByDefault, defaultBeta1)
                .withEma(ema == null ? DEFAULT_EMA : ema).withEvalEvery(evalEvery);
    }

    /** What --eval-every scores against: the data's test split, --eval-n images. */
    foil.run.GanImageJob.Evaluation evaluation(foil.data.DataSource source) {
        return new foil.run.GanImageJob.Evaluation(source, evalN == null ? 1000 : evalN);
    }

    /** The trainer's settings from these options and the command's own rate, beta2, batch and schedule. */
    GanTrainer.Options trainer(GanLoss loss, int iterations, int batch, float lr, float beta2, long seed, int logEvery,
            boolean decayByDefault) {
        return trainer(loss, iterations, batch, lr, beta2, seed, logEvery, decayByDefault, 0.5f);
    }

    private GanTrainer.Options trainer(GanLoss loss, int iterations, int batch, float lr, float beta2, long seed,
            int logEvery, boolean decayByDefault, float defaultBeta1) {
        float b1 = beta1 == null ? defaultBeta1 : beta1;
        if (!(b1 >= 0 && b1 < 1)) {
            throw new FoilException("--beta1 must be in [0, 1), got " + b1);
        }
        return new GanTrainer.Options(loss, iterations, batch, dSteps == null ? loss.defaultDSteps() : dSteps, lr,
                lrD == null ? lr : lrD, b1, beta2, seed, checkpointEvery, logEvery,
                lrDecay == null ? decayByDefault : lrDecay);
    }
}
