package foil.run;

import foil.Foil;
import foil.FoilException;
import foil.gan.GanTrainer;
import foil.gan.cycle.CycleGan;
import foil.gan.cycle.CycleTrainer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Times full CycleGAN training steps on random 28×28 images: each step one generator step (G and F: both translations,
 * both cycles, both identities, through the frozen discriminators) and one discriminator step (D_A and D_B on real
 * images and pool images), with Adam, as {@link CycleTrainer} trains. An image is one image of each domain through a
 * whole step: images per second is batch × steps per second. {@code scripts/bench_cyclegan_pytorch.py} times the same
 * step in PyTorch eager.
 */
public record CycleBench(int batch, int steps, int width, int blocks, long seed, int repeat) {
    public CycleBench {
        if (batch < 1 || steps < 1 || repeat < 1 || width < 1 || width > 1024 || blocks < 0 || blocks > 64) {
            throw new FoilException("--batch, --steps and --repeat must be positive, --width in [1, 1024], --blocks in "
                    + "[0, 64]");
        }
    }

    public Map<String, Object> execute() {
        GanTrainer.RealData data = GanBench.randomImages();
        Foil.seed(seed);
        try (CycleGan nets = new CycleGan(new CycleGan.Config(1, 28, 28, width, blocks))) {
            new CycleTrainer(nets, data, data, options(3), null).train((i, n) -> { }); // warm-up
            double rssStart = AttackBench.residentMb();
            double[] rates = new double[repeat];
            double seconds = 0;
            for (int r = 0; r < repeat; r++) {
                long start = System.nanoTime();
                new CycleTrainer(nets, data, data, options(steps), null).train((i, n) -> { });
                double s = (System.nanoTime() - start) / 1e9;
                seconds += s;
                rates[r] = steps / s;
            }
            Spread spread = Spread.of(rates);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "cycle");
            out.put("width", width);
            out.put("blocks", blocks);
            out.put("batch", batch);
            out.put("steps", steps);
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", 0));
            out.put("device", Foil.device().toString());
            out.put("repeat", repeat);
            out.put("seconds", seconds);
            out.put("steps_per_second", spread.median());
            out.put("steps_per_second_min", spread.min());
            out.put("steps_per_second_max", spread.max());
            out.put("spread", spread.relative());
            out.put("images_per_second", batch * spread.median());
            out.put("image", "one 28x28 image of each domain through a full step (G and F, then D_A and D_B)");
            out.put("rss_start_mb", rssStart);
            out.put("rss_end_mb", AttackBench.residentMb());
            return out;
        }
    }

    private CycleTrainer.Options options(int iterations) {
        return CycleTrainer.Options.paper(iterations, batch, seed, Integer.MAX_VALUE);
    }
}
