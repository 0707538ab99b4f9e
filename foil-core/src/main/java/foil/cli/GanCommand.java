package foil.cli;

import foil.gan.ToyGan;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.ToyGanJob;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gan", mixinStandardHelpOptions = true, description = "Generative adversarial networks.",
        subcommands = {GanCommand.Toy.class, GanCommand.Landscape.class, GanCommand.Mog.class, GanCommand.Compare.class,
            GanCommand.Train.class, GanTruncationCommand.class, GanEvalCommand.class, GanInterpolateCommand.class,
            GanInvertCommand.class, GanProvenanceCommand.class, GanMixCommand.class, GanCycleCommand.class,
            GanCommand.Sample.class})
final class GanCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "toy", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "The lecture's 1-D GAN: x* = z + theta against a logistic-regression discriminator; frames "
                    + "in the style of Goodfellow et al. (2014), Figure 1.")
    static final class Toy implements Callable<Integer> {
        @Option(names = "--mu", description = "Mean of the real data N(mu, 1).")
        double mu = 3;

        @Option(names = "--theta0", description = "The generator's starting shift.")
        double theta0 = 0;

        @Option(names = "--iters", description = "Most GAN iterations (it stops once D is no better than chance).")
        int iters = 20_000;

        @Option(names = "--d-steps", description = "Discriminator steps per iteration.")
        int dSteps = 5;

        @Option(names = "--g-steps", description = "Generator steps per iteration.")
        int gSteps = 1;

        @Option(names = "--lr", description = "Generator learning rate (the discriminator's is twice it).")
        double lr = 0.05;

        @Option(names = "--batch", description = "Samples of each side per step.")
        int batch = 256;

        @Option(names = "--loss", description = "Generator loss: minimax (saturating) or nonsaturating.")
        String loss = "minimax";

        @Option(names = "--tolerance", description = "'No better than chance': |theta - mu| and max |D - 0.5| below it.")
        double tolerance = 0.05;

        @Option(names = "--frames", split = ",", description = "Iterations to draw (-1: the last; default 0, 5%%, 25%%, end).")
        List<Integer> frames;

        @Mixin
        OutputOption output;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            ToyGan.Options o = new ToyGan.Options(mu, theta0, iters, dSteps, gSteps, 2 * lr, lr, batch,
                    ToyGan.GeneratorLoss.of(loss), tolerance, common.seed);
            RunDirectory dir = common.startRun(output.out, Map.of("real", "N(" + mu + ", 1)"));
            System.out.println(Json.line(new ToyGanJob(o, frames).execute(dir)));
            return 0;
        }
    }

    @Command(name = "landscape", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "The GAN value over (discriminator slope, generator theta) with the path of alternating "
                    + "gradient steps: the equilibrium is a saddle and the steps circle it.")
    static final class Landscape implements Callable<Integer> {
        @Option(names = "--mu", description = "Mean of the real data N(mu, 1).")
        double mu = 3;

        @Option(names = "--theta0", description = "The generator's starting shift.")
        double theta0 = 1;

        @Option(names = "--lr", description = "Step size of both players.")
        double lr = 0.5;

        @Option(names = "--steps", description = "Alternating steps drawn.")
        int steps = 400;

        @Mixin
        OutputOption output;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            if (!(lr > 0 && lr <= 10) || steps < 1 || steps > 1_000_000 || !Double.isFinite(mu)
                    || !Double.isFinite(theta0)) {
                throw new foil.FoilException("--lr must be in (0, 10], --steps in [1, 1000000], --mu and --theta0 finite");
            }
            RunDirectory dir = common.startRun(output.out, Map.of("real", "N(" + mu + ", 1)"));
            System.out.println(Json.line(ToyGanJob.landscape(dir, mu, theta0, lr, steps)));
            return 0;
        }
    }

    @Command(name = "mog", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "An MLP GAN on a 2-D mixture of Gaussians (PacGAN's ring of 8 or grid of 25): modes covered, "
                    + "high-quality samples, scatter plots as collapse happens, EMD over training. Checkpointed; "
                    + "--resume DIR continues a stopped run. With the defaults (WGAN-GP, lambda 0.1, Adam 1e-3 "
                    + "falling to 0 over 10000 iterations) a one-thread run covered all 25 modes of the grid with 95%% "
                    + "of its samples high quality.")
    static final class Mog implements Callable<Integer> {
        @Option(names = "--shape", description = "ring or grid.")
        String shape = "grid";

        @Option(names = "--loss", description = "minimax, nonsaturating, wgan, wgan-gp or hinge.")
        String loss = "wgan-gp";

        @Option(names = "--iters", description = "Generator iterations.")
        int iters = 10000;

        @Option(names = "--batch", description = "Batch size.")
        int batch = 256;

        @Option(names = "--lr", description = "Adam learning rate of the generator (and of the discriminator unless --lr-d).")
        float lr = 1e-3f;

        @Option(names = "--beta2", description = "Adam beta2 (GAN-typical 0.9).")
        float beta2 = 0.9f;

        @Option(names = "--log-every", description = "Iterations between measurements (metrics.jsonl).")
        int logEvery = 100;

        @Option(names = "--hidden", description = "Units in each of the three hidden layers of both MLPs.")
        int hidden = 128;

        @Option(names = "--latent", description = "Dimensions of the generator's Gaussian noise (2, as Gulrajani et al.'s "
                + "toys, draws sharper modes than more).")
        int latent = 2;

        @Option(names = "--snapshots", split = ",", description = "Iterations drawn as scatter plots (default: 0, 10%%, "
                + "30%%, end).")
        List<Integer> snapshots;

        @Mixin
        GanRunOptions gan;

        @Mixin
        Common common;

        @Override
        public Integer call() throws java.io.IOException {
            common.apply();
            if (gan.resume != null) {
                return resumeRun();
            }
            checkedLoss(); // rejects bad options before anything is written
            RunDirectory dir = common.startRun(gan.output.require(), Map.of("mixture", shape));
            return run(dir, false);
        }

        /** The loss, once --hidden, --loss and --gp-weight are checked. */
        private foil.gan.GanLoss checkedLoss() {
            if (hidden < 1 || hidden > 4096) {
                throw new foil.FoilException("--hidden must be in [1, 4096], got " + hidden);
            }
            if (latent < 1 || latent > 1024) {
                throw new foil.FoilException("--latent must be in [1, 1024], got " + latent);
            }
            gan.rejectImageOptions("gan mog");
            return gan.loss(loss, 0.1f);
        }

        private int run(RunDirectory dir, boolean resuming) {
            foil.gan.GanLoss l = checkedLoss();
            foil.gan.GanTrainer.Options o = gan.trainer(l, iters, batch, lr, beta2, common.seed, logEvery, true);
            List<Integer> shots = snapshots != null ? snapshots : foil.run.MogJob.defaultSnapshots(iters, logEvery);
            Map<String, Object> m = new foil.run.MogJob(foil.gan.Mixture.of(shape), o, latent, hidden, shots, resuming).execute(dir);
            System.out.println(Json.line(m));
            return 0;
        }

        private int resumeRun() throws java.io.IOException {
            Mog original = new Mog();
            new picocli.CommandLine(original).parseArgs(originalArgs(gan.resume, "gan mog"));
            original.common.apply();
            return original.run(RunDirectory.reopen(gan.resume), true);
        }
    }

    @Command(name = "compare", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Draw several 'gan mog' runs on shared charts (modes covered, high-quality fraction, EMD over "
                    + "training), e.g. the same settings with minimax and with wgan-gp: comparison.png, metrics.json.")
    static final class Compare implements Callable<Integer> {
        @Option(names = "--runs", required = true, split = ",", description = "Run directories of 'foil gan mog'.")
        List<Path> runs;

        @Option(names = "--names", split = ",", description = "Legend names, one per run (default: the directory names).")
        List<String> names;

        @Mixin
        OutputOption output;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            if (names != null && names.size() != runs.size()) {
                throw new foil.FoilException("--names needs one name per run: " + runs.size() + " runs, " + names.size()
                        + " names");
            }
            List<String> legend = names != null ? names
                    : runs.stream().map(p -> p.toAbsolutePath().normalize().getFileName().toString()).toList();
            foil.run.MogComparison.requireRuns(runs); // before anything is written
            RunDirectory dir = common.startRun(output.out, Map.of());
            Map<String, Object> m = foil.run.MogComparison.execute(runs, legend, dir);
            System.out.println(Json.line(m));
            return 0;
        }
    }

    /** The options an earlier run was started with (from its run.json), to resume it with the same ones. */
    static String[] originalArgs(Path dir, String command) throws java.io.IOException {
        Path runFile = dir.resolve(RunDirectory.RUN_FILE);
        if (!java.nio.file.Files.isRegularFile(runFile)) {
            throw new foil.FoilException("nothing to resume in " + dir + ": it has no run.json");
        }
        com.fasterxml.jackson.databind.JsonNode run = Json.MAPPER.readTree(runFile.toFile());
        if (!command.equals(run.path("command").asText())) {
            throw new foil.FoilException(dir + " holds a '" + run.path("command").asText() + "' run, not '" + command + "'");
        }
        List<String> args = new java.util.ArrayList<>();
        run.path("args").forEach(a -> args.add(a.asText()));
        if (args.isEmpty()) {
            throw new foil.FoilException(dir + "'s run.json records no command line to resume it with (a run the demo "
                    + "made); start a new run");
        }
        int words = command.split(" ").length;
        return args.subList(Math.min(words, args.size()), args.size()).toArray(new String[0]);
    }

    @Command(name = "train", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Train an image GAN: DCGAN, or progressive growing (Karras et al. 2018: 4x4 to 32x32 through "
                    + "fades, equalised learning rate, pixel norm, minibatch stddev, WGAN-GP with drift). Sample grids "
                    + "(per epoch; per fade step and stage when growing), losses, the class histogram of generated "
                    + "samples under a judge classifier. Checkpointed; --resume DIR continues.")
    static final class Train implements Callable<Integer> {
        @Mixin
        DataOption.Default data;

        @Option(names = "--arch", description = "Architecture: dcgan, progressive or stylegan.")
        String arch = "dcgan";

        @Option(names = "--loss", description = "minimax, nonsaturating, wgan, wgan-gp (its critic has no batch norm) "
                + "or hinge (default: nonsaturating, with R1 for stylegan; wgan-gp for progressive).")
        String loss;

        @Option(names = "--epochs", description = "Passes over the training set (in generator iterations; default 5). "
                + "Progressive growing's length is set by --phase-images instead.")
        Integer epochs;

        @Option(names = "--images", description = "Train on this many images in all (instead of --epochs).")
        Long images;

        @Option(names = "--mixing", description = "StyleGAN: probability of style mixing regularisation per batch (the "
                + "paper's 0.9; NVIDIA's 32x32 preset uses 0).")
        double mixing = 0.9;

        @Option(names = "--mapping-layers", description = "StyleGAN: layers of the mapping network (the paper's 8).")
        int mappingLayers = 4;

        @Option(names = "--batch", description = "Batch size (default: 128; 32 for progressive).")
        Integer batch;

        @Option(names = "--lr", description = "Adam learning rate of the generator, and of the discriminator unless "
                + "--lr-d (default: DCGAN's 2e-4; 1e-3 for progressive, as the paper).")
        Float lr;

        @Option(names = "--beta2", description = "Adam beta2 (default: 0.999; 0.99 for progressive).")
        Float beta2;

        @Option(names = "--width", description = "Channels of the first convolution (DCGAN's 64; default 32), or of "
                + "each level of progressive growing (halved at the last; default 64).")
        Integer width;

        @Option(names = "--phase-images", description = "Progressive growing: images shown in each stage (the base "
                + "resolution, then a fade and a stabilisation per new resolution: 7 stages from 4x4 to 32x32; the "
                + "paper's 800000).")
        long phaseImages = 20_000;

        @Option(names = "--base", description = "Progressive growing: the first resolution; 4 grows to 32 (images "
                + "padded, as the official code does for MNIST), 7 grows 7-14-28.")
        int base = 4;

        @Option(names = "--latent", description = "Progressive growing and StyleGAN: size of the latent (and of w).")
        int latent = 64;

        @Option(names = "--group", description = "Progressive growing and StyleGAN: minibatch standard deviation group "
                + "size.")
        int group = 4;

        @Option(names = "--drift", description = "Weight of the drift term E[D(x)^2] on real scores (default: 0.001 "
                + "for progressive with wgan-gp, as the paper; else 0).")
        Float drift;

        @Option(names = "--r1", description = "Gamma of the R1 penalty gamma/2 E[|grad D(x)|^2] on real images (default: "
                + "0.1 for stylegan; else 0: none).")
        Float r1;

        @Option(names = "--r1-every", description = "Critic steps between R1 penalties (lazy regularisation; default: 4 "
                + "for stylegan, else 1).")
        Integer r1Every;

        @Option(names = "--train-subset", description = "Train on examples A:B only.")
        String trainSubset;

        @Option(names = "--judge", description = "A Foil classifier directory to judge generated samples (default: the "
                + "default feature network's classifier, foil fid's cnn of the data, trained once and cached).")
        Path judge;

        @Mixin
        GanRunOptions gan;

        @Mixin
        Common common;

        @Override
        public Integer call() throws java.io.IOException {
            common.apply();
            if (gan.resume != null) {
                Train original = new Train();
                new picocli.CommandLine(original).parseArgs(originalArgs(gan.resume, "gan train"));
                original.common.apply();
                return original.run(RunDirectory.reopen(gan.resume), true);
            }
            Path out = gan.output.require();
            progressive(); // rejects an unknown architecture
            loss(); // rejects an unknown loss before anything is written
            RunDirectory dir = common.startRun(out, data.locate().describe());
            return run(dir, false);
        }

        private boolean progressive() {
            return architecture().equals("progressive");
        }

        private boolean style() {
            return architecture().equals("stylegan");
        }

        private String architecture() {
            String a = arch.toLowerCase(java.util.Locale.ROOT);
            if (!List.of("dcgan", "progressive", "stylegan").contains(a)) {
                throw new foil.FoilException("unknown GAN architecture '" + arch + "': use dcgan, progressive or "
                        + "stylegan");
            }
            return a;
        }

        private foil.gan.GanLoss loss() {
            boolean growing = progressive();
            foil.gan.GanLoss l = gan.loss(loss != null ? loss : growing ? "wgan-gp" : "nonsaturating");
            float d = drift != null ? drift : growing && l.gradientPenalty() > 0 ? 0.001f : 0f;
            float gamma = r1 != null ? r1 : style() ? 0.1f : 0f;
            int every = r1Every != null ? r1Every : style() ? 4 : 1;
            if (every < 1) {
                throw new foil.FoilException("--r1-every must be positive, got " + every);
            }
            return l.regularized(d, gamma, every);
        }

        private int run(RunDirectory dir, boolean resuming) {
            foil.data.DataSource source = data.locate();
            foil.data.ImageDataset train = source.train();
            int[] subset = Cli.parseSubset(trainSubset);
            if (subset != null) {
                train = train.slice(subset[0], subset[1]);
            }
            boolean growing = progressive();
            boolean styled = style();
            if (growing && (epochs != null || images != null)) {
                throw new foil.FoilException("progressive growing's length is set by --phase-images (images per stage), "
                        + "not --epochs or --images");
            }
            if (epochs != null && images != null) {
                throw new foil.FoilException("give --epochs or --images, not both");
            }
            int b = batch != null ? batch : growing || styled ? 32 : 128;
            int e = epochs != null ? epochs : 5;
            if (e < 1 || b < 1) {
                throw new foil.FoilException("--epochs and --batch must be positive");
            }
            foil.gan.GanLoss l = loss();
            if (growing && gan.dSteps == null) {
                gan.dSteps = 1; // the paper's one critic step per generator step
            }
            float rate = lr != null ? lr : growing ? 1e-3f : styled ? 2e-3f : 2e-4f;
            float b2 = beta2 != null ? beta2 : growing || styled ? 0.99f : 0.999f;
            int perEpoch = foil.run.GanImageJob.iterationsPerEpoch(train, b);
            foil.run.GanImageJob.Config config;
            int iterations;
            int logEvery;
            if (growing) {
                foil.gan.ProgressiveGan.Settings s = new foil.gan.ProgressiveGan.Settings(base, phaseImages,
                        width != null ? width : 64, latent, group);
                config = foil.run.GanImageJob.Config.progressive(train, s, b);
                long total = foil.gan.GrowthSchedule.forImages(train.height(), base, phaseImages).totalImages();
                iterations = (int) Math.min(Integer.MAX_VALUE, (total + b - 1) / b);
                logEvery = Math.max(1, (int) (phaseImages / b));
            } else {
                if (images != null && images < 1) {
                    throw new foil.FoilException("--images must be positive, got " + images);
                }
                iterations = images != null ? (int) Math.min(Integer.MAX_VALUE, (images + b - 1) / b) : e * perEpoch;
                logEvery = Math.min(perEpoch, iterations);
                config = styled ? foil.run.GanImageJob.Config.stylegan(train, new foil.gan.StyleGan.Settings(latent,
                        width != null ? width : 32, mappingLayers, mixing, group), b) : null;
            }
            foil.gan.GanTrainer.Options o = gan.imageTrainer(l, iterations, b, rate, b2, common.seed, logEvery, false,
                    growing || styled ? 0f : 0.5f);
            if (config == null) {
                config = foil.run.GanImageJob.Config.dcgan(train, width != null ? width : 32, o);
            }
            try (foil.run.GanImageJob.Judge j = foil.run.GanImageJob.Judge.of(judge, source, train.imageShape())) {
                Map<String, Object> m = new foil.run.GanImageJob(train, o, config, growing || images != null ? 0 : e, resuming).execute(
                        dir, j, gan.evaluation(source));
                System.out.println(Json.line(m));
            }
            return 0;
        }
    }

    @Command(name = "sample", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Draw samples from a trained GAN run as an image grid.")
    static final class Sample implements Callable<Integer> {
        @Mixin
        GanModelOption gan;

        @Option(names = "--n", description = "Samples drawn.")
        int n = 64;

        @Option(names = "--out", required = true, description = "PNG file to write.")
        Path out;

        @Option(names = "--truncation", description = "Pull the latents towards the mean by this psi (1: none).")
        double truncation = 1;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            if (n < 1 || n > 10_000) {
                throw new foil.FoilException("--n must be between 1 and 10000, not " + n);
            }
            if (java.nio.file.Files.exists(out) && !common.force) {
                throw new foil.FoilException(out + " exists: choose another --out or add --force");
            }
            foil.gan.Truncation t = new foil.gan.Truncation(truncation, 0);
            try (foil.gan.ImageGan nets = foil.run.GanImageJob.open(gan.model)) {
                float[] images = foil.run.GanImageJob.toUnit(nets.sample(t.latents(n, nets.latent(), common.seed), n));
                foil.report.Png.write(foil.report.ImageGrid.draw(images, n, nets.channels(), nets.height(), nets.width(), 2), out);
            }
            System.out.println(Json.line(Map.of("out", out.toString(), "n", n, "seed", common.seed, "truncation",
                    truncation)));
            return 0;
        }
    }
}
