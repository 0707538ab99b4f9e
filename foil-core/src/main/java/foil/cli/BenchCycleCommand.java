package foil.cli;

import foil.io.Json;
import foil.run.CycleBench;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil bench cycle}: CycleGAN training throughput. */
@Command(name = "cycle", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "CycleGAN training throughput on random 28x28 images: full steps (G and F through the frozen "
                + "discriminators with cycle and identity losses, then D_A and D_B with the pools), images of each "
                + "domain per second; scripts/bench_cyclegan_pytorch.py is the PyTorch eager peer.")
final class BenchCycleCommand implements Callable<Integer> {
    @Option(names = "--batch", description = "Images of each domain per step.")
    int batch = 8;

    @Option(names = "--steps", description = "Timed steps in each timed run.")
    int steps = 30;

    @Option(names = "--repeat", description = "Timed runs after the untimed warm-up; the median is reported with the "
            + "range.")
    int repeat = 3;

    @Option(names = "--width", description = "Channels of every network's first convolution.")
    int width = 16;

    @Option(names = "--blocks", description = "Residual blocks of each generator.")
    int blocks = 4;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        System.out.println(Json.line(new CycleBench(batch, steps, width, blocks, common.seed, repeat).execute()));
        return 0;
    }
}
