package foil.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.SequentialBlock;
import foil.Foil;
import foil.numerics.Numerics;
import foil.attack.Attack;
import foil.attack.Pgd;
import foil.metrics.Flops;
import foil.model.Architecture;
import foil.model.FoilModel;
import foil.io.Progress;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Times an attack on random weights and random inputs, batch after batch, one NDManager scope per batch,
 * and reads the resident set size before and after, so a native leak shows as growth.
 */
public record AttackBench(Architecture architecture, Attack attack, int batch, int n, long seed, int repeat) {
    public AttackBench {
        if (repeat < 1) {
            throw new foil.FoilException("--repeat must be at least 1, not " + repeat);
        }
    }

    public Map<String, Object> execute() {
        Foil.seed(seed);
        Shape image = new Shape(1, 28, 28);
        try (FoilModel model = FoilModel.create(architecture, image, 10, List.of());
                NDManager root = NDManager.newBaseManager(Foil.device())) {
            model.setTrainable(false);
            runBatch(model, root, Math.min(batch, n)); // warm-up, not timed
            double rssStart = residentMb();
            List<Double> trace = new java.util.ArrayList<>();
            double[] rates = new double[repeat];
            double seconds = 0;
            try (Progress bar = Progress.start("bench " + attack.method(), (long) n * repeat)) {
                for (int r = 0; r < repeat; r++) {
                    long start = System.nanoTime();
                    int done = 0;
                    int batches = 0;
                    while (done < n) {
                        int b = Math.min(batch, n - done);
                        runBatch(model, root, b);
                        done += b;
                        bar.step(b);
                        if (++batches % 20 == 0) {
                            trace.add(residentMb());
                        }
                    }
                    double s = (System.nanoTime() - start) / 1e9;
                    seconds += s;
                    rates[r] = n / s;
                }
            }
            Spread spread = Spread.of(rates);
            double rssEnd = residentMb();
            long macs = model.block() instanceof SequentialBlock s ? Flops.forwardMacs(s, image) : 0;
            int steps = attack instanceof Pgd p ? p.steps() * p.restarts()
                    : attack instanceof foil.attack.Apgd a ? a.steps() + 1 : 1;
            // each step is a forward and a backward to the input (about as many MACs as the forward);
            // the result's prediction is one more forward
            double flopsPerImage = 2.0 * macs * (2.0 * steps + 1);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "attack");
            out.put("arch", architecture.cliName);
            out.put("method", attack.method());
            out.put("steps", steps);
            out.put("batch", batch);
            out.put("n", n);
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", 0));
            out.put("device", Foil.device().toString());
            out.put("repeat", repeat);
            out.put("seconds", seconds);
            out.put("images_per_second", spread.median());
            out.put("images_per_second_runs", rates);
            out.put("images_per_second_min", spread.min());
            out.put("images_per_second_max", spread.max());
            out.put("spread", spread.relative());
            out.put("forward_mflops_per_image", 2.0 * macs / 1e6);
            out.put("useful_gflops_per_second", flopsPerImage * spread.median() / 1e9);
            out.put("numerics", Numerics.ensure());
            out.put("rss_start_mb", rssStart);
            out.put("rss_end_mb", rssEnd);
            Runtime rt = Runtime.getRuntime();
            out.put("java_heap_committed_mb", rt.totalMemory() / 1048576.0);
            out.put("rss_every_20_batches_mb", trace);
            return out;
        }
    }

    private void runBatch(FoilModel model, NDManager root, int b) {
        try (NDManager scope = root.newSubManager()) {
            NDArray x = scope.randomUniform(0f, 1f, new Shape(b, 1, 28, 28));
            // labels: the model's own predictions, so that attacks that skip misclassified images attack them all
            NDArray y = model.logits(x).argMax(1).toType(DataType.INT64, false);
            attack.run(model, x, y, null);
        }
    }

    /** Resident set size of this process in MiB (Linux), or -1 where /proc is missing. */
    public static double residentMb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
                }
            }
        } catch (IOException | NumberFormatException e) {
            return -1;
        }
        return -1;
    }
}
