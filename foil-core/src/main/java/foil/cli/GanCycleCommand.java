package foil.cli;

import foil.FoilException;
import foil.data.Domain;
import foil.gan.cycle.CycleTrainer;
import foil.gan.cycle.ImagePool;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.CycleGanJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil gan cycle}: unpaired image-to-image translation between two domains (CycleGAN). */
@Command(name = "cycle", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"CycleGAN (Zhu et al. 2017) between two image domains: ResNet generators with instance norm, "
                + "PatchGAN discriminators (16x16 patches), least-squares GAN loss, cycle loss (lambda), identity loss "
                + "(--identity x lambda), pools of 50 generated images, Adam with beta1 0.5 and the rate falling "
                + "linearly to 0 over the second half.",
            "Writes grid-a2b.png and grid-b2a.png (x | G(x) | F(G(x)), at every checkpoint), losses.png, "
                    + "metrics.jsonl, and metrics.json: target_accuracy_a_to_b/_b_to_a (translated test images the "
                    + "judge puts into the target's classes), cycle_l1_a/_b (pixels in [0, 1]), kid_a_to_b/_b_to_a. "
                    + "Checkpointed; --resume DIR continues a stopped run."})
final class GanCycleCommand implements Callable<Integer> {
    @Option(names = "--domains", arity = "2", paramLabel = "DOMAIN", description = "The two domains A and B, each a "
            + "dataset (fashion-mnist, mnist, a directory of IDX files) optionally with ':' and a comma-separated "
            + "class list: --domains fashion-mnist:7 fashion-mnist:9 (sneakers and ankle boots).")
    List<String> domains;

    @Option(names = "--judge", description = "A classifier (Foil model directory or TorchScript file) for the target "
            + "accuracies (default: each target dataset's default feature network's classifier, trained once and "
            + "cached).")
    Path judge;

    @Option(names = "--iters", description = "Training iterations (one generator and one discriminator step each).")
    int iters = 2000;

    @Option(names = "--batch", description = "Images of each domain per iteration (the paper's 1; instance norm makes "
            + "every image its own).")
    int batch = 8;

    @Option(names = "--width", description = "Channels of the first convolution of every network (the paper's 64).")
    int width = 16;

    @Option(names = "--blocks", description = "Residual blocks of each generator (the paper's 6 at 128 px, 9 at 256).")
    int blocks = 4;

    @Option(names = "--lr", description = "Adam learning rate of all four networks (constant for the first half, "
            + "then linearly to 0).")
    float lr = 2e-4f;

    @Option(names = "--lambda", description = "Weight of the cycle-consistency L1 loss.")
    float lambda = 10f;

    @Option(names = "--identity", description = "Weight of the identity loss, as a fraction of --lambda (0: none).")
    float identity = 0.5f;

    @Option(names = "--pool", description = "Generated images kept per discriminator's history pool (0: none).")
    int pool = ImagePool.DEFAULT_CAPACITY;

    @Option(names = "--clip-grad", description = "Foil's guard, not the paper's: a step whose gradients' global norm "
            + "(generators together, discriminators together) exceeds this is scaled down to it, and a step with a "
            + "non-finite gradient is skipped (instance norm on a near-constant image can blow gradients up); 0: off.")
    float clipGrad = CycleTrainer.Options.DEFAULT_CLIP;

    @Option(names = "--checkpoint-every", description = "Iterations between checkpoints and grids (also every 3 "
            + "minutes).")
    int checkpointEvery = 250;

    @Option(names = "--eval-n", description = "Test images of each domain measured at the end (at most all of them).")
    int evalN = 1000;

    @Mixin
    OutputOption.UnlessResumed output;

    @Option(names = "--resume", description = "Continue the stopped run in this directory, with its own options.")
    Path resume;

    @Mixin
    Common common;

    @Override
    public Integer call() throws java.io.IOException {
        if (resume != null) {
            // the run's own settings, its --threads among them: the engine takes its thread count once, so nothing
            // may configure it before them (--threads and --quiet given with --resume still win)
            GanCycleCommand original = new GanCycleCommand();
            new picocli.CommandLine(original).parseArgs(GanCommand.originalArgs(resume, "gan cycle"));
            original.common.threads = common.threads > 0 ? common.threads : original.common.threads;
            original.common.quiet |= common.quiet;
            original.common.apply();
            return original.run(RunDirectory.reopen(resume), true);
        }
        common.apply();
        Path out = output.require();
        if (domains == null) {
            throw new FoilException("give the two domains: --domains A B, e.g. --domains fashion-mnist:7 "
                    + "fashion-mnist:9");
        }
        options(); // bad numbers stop here, before anything is written
        Domain a = Domain.parse(domains.get(0));
        Domain b = Domain.parse(domains.get(1));
        a.test(); // and a class out of range
        b.test();
        if (judge != null && !java.nio.file.Files.exists(judge)) {
            throw new FoilException("--judge " + judge + " does not exist");
        }
        Map<String, Object> described = new LinkedHashMap<>();
        described.put("a", a.describe());
        described.put("b", b.describe());
        return run(common.startRun(out, described), false);
    }

    private CycleTrainer.Options options() {
        if (iters < 1 || batch < 1 || checkpointEvery < 1) {
            throw new FoilException("--iters, --batch and --checkpoint-every must be positive (got " + iters + ", "
                    + batch + ", " + checkpointEvery + ")");
        }
        if (batch > 4096 || width < 1 || width > 1024 || blocks < 0 || blocks > 64 || evalN < 2) {
            throw new FoilException("--batch must be at most 4096, --width in [1, 1024], --blocks in [0, 64] and "
                    + "--eval-n at least 2");
        }
        return new CycleTrainer.Options(iters, batch, lr, 0.5f, 0.999f, lambda, identity, pool, common.seed,
                checkpointEvery, clipGrad);
    }

    private int run(RunDirectory dir, boolean resuming) {
        CycleGanJob job = new CycleGanJob(Domain.parse(domains.get(0)), Domain.parse(domains.get(1)), options(), width,
                blocks, evalN, resuming);
        System.out.println(Json.line(job.execute(dir, judge)));
        return 0;
    }
}
