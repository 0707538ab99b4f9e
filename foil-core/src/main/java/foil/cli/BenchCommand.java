package foil.cli;

import foil.FoilException;
import foil.gan.GanLoss;
import foil.model.Architecture;
import foil.io.Json;
import foil.run.AttackBench;
import foil.run.MatmulBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmarks that print one JSON line.",
        subcommands = {BenchCommand.Attack.class, BenchCommand.Matmul.class, BenchCommand.Gan.class, BenchCycleCommand.class})
final class BenchCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "attack", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "Attack throughput on random weights and inputs, with resident memory at start and end.")
    static final class Attack implements Callable<Integer> {
        @Option(names = "--arch", description = "Architecture.")
        String arch = "bench-cnn";

        @Mixin
        AttackOptions attack;

        @Option(names = "--eps", description = "Budget.")
        float eps = 0.1f;

        @Option(names = "--batch", description = "Batch size.")
        int batch = 256;

        @Option(names = "--n", description = "Images attacked in each timed run.")
        int n = 2048;

        @Option(names = "--repeat", description = "Timed runs after the untimed warm-up; the median is reported with "
                + "the range.")
        int repeat = 3;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            if (batch < 1 || n < 1) {
                throw new FoilException("--batch and --n must be positive");
            }
            if (attack.steps == null) {
                attack.steps = 10;
            }
            System.out.println(Json.line(new AttackBench(Architecture.of(arch), attack.build(eps), batch, n,
                    common.seed, repeat).execute()));
            return 0;
        }
    }

    @Command(name = "matmul", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "float32 matrix-multiply throughput (GFLOP/s), the machine's peak for comparison.")
    static final class Matmul implements Callable<Integer> {
        @Option(names = "--size", description = "Square matrix size.")
        int size = 2048;

        @Option(names = "--repeats", description = "Timed repeats (the best is reported).")
        int repeats = 5;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            if (size < 16 || size > 16384 || repeats < 1) {
                throw new FoilException("--size must be in [16, 16384] and --repeats positive");
            }
            System.out.println(Json.line(new MatmulBench(size, repeats).execute()));
            return 0;
        }
    }

    @Command(name = "gan", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "GAN training throughput (one discriminator and one generator step per batch): DCGAN on random "
                    + "images, gan mog's MLPs on the 25-Gaussian grid, or gan train's own iteration of progressive "
                    + "growing (at 32x32, alpha 1) and StyleGAN on random 28x28 images.")
    static final class Gan implements Callable<Integer> {
        @Option(names = "--arch", description = "Architecture: dcgan, mlp, progressive or stylegan.")
        String arch = "dcgan";

        @Option(names = "--loss", description = "minimax, nonsaturating, wgan, wgan-gp or hinge (default: nonsaturating; "
                + "for progressive and stylegan gan train's own: wgan-gp with the drift term, nonsaturating with lazy R1).")
        String loss;

        @Option(names = "--batch", description = "Batch size (default: 128; 32 for progressive and stylegan, as gan "
                + "train).")
        Integer batch;

        @Option(names = "--steps", description = "Timed steps in each timed run.")
        int steps = 50;

        @Option(names = "--repeat", description = "Timed runs after the untimed warm-up; the median is reported with "
                + "the range.")
        int repeat = 1;

        @Option(names = "--warmup", description = "Untimed iterations before the first timed run: the JVM compiles "
                + "Foil's and DJL's Java code during the first tens of iterations, and a training run is thousands.")
        int warmup = foil.run.GanBench.WARMUP;

        @Option(names = "--width", description = "Channels of DCGAN's first convolution (default 64), units of each "
                + "MLP layer (default 128, as gan mog), or channels of each level of progressive growing (default 64) "
                + "and StyleGAN (default 32), halved at 32x32 as gan train.")
        Integer width;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            String a = arch.toLowerCase(java.util.Locale.ROOT);
            int w = width != null ? width : foil.run.GanBench.defaultWidth(a);
            GanLoss l = loss != null ? GanLoss.of(loss) : foil.run.GanBench.defaultLoss(a);
            int b = batch != null ? batch : foil.run.GanBench.defaultBatch(a);
            foil.run.GanBench bench = new foil.run.GanBench(a, l, b, steps, w, common.seed, repeat, warmup);
            System.out.println(Json.line(bench.execute()));
            return 0;
        }
    }
}
