package foil.run;

import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.gan.Dcgan;
import foil.gan.GanLoss;
import foil.gan.GanNetworks;
import foil.gan.GanTrainer;
import foil.gan.Mixture;
import foil.gan.MlpGan;
import foil.gan.WassersteinGpLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Times GAN training steps, one discriminator and one generator step per batch: DCGAN on random 28x28 images, or
 * the 3-layer MLP pair of {@code gan mog} on the 25-Gaussian grid, with any loss (WGAN-GP adds its penalty).
 * Adam at 2e-4 for both; gan mog's own schedule (5 critic steps for WGAN-GP, its rates) is not what is timed.
 */
public record GanBench(String arch, GanLoss loss, int batch, int steps, int width, long seed, int repeat) {

    /** One timed run. */
    public GanBench(String arch, GanLoss loss, int batch, int steps, int width, long seed) {
        this(arch, loss, batch, steps, width, seed, 1);
    }

    public GanBench {
        if (repeat < 1) {
            throw new FoilException("--repeat must be at least 1, not " + repeat);
        }
        if (!arch.equals("dcgan") && !arch.equals("mlp")) {
            throw new FoilException("unknown GAN architecture '" + arch + "': use dcgan or mlp");
        }
        if (batch < 1 || steps < 1 || width < 1 || width > 4096) {
            throw new FoilException("--batch and --steps must be positive, --width in [1, 4096]");
        }
    }

    public Map<String, Object> execute() {
        boolean images = arch.equals("dcgan");
        GanTrainer.RealData data = images ? randomImages() : Mixture.grid().realData();
        Foil.seed(seed);
        try (GanNetworks nets = images ? new Dcgan(100, 1, width, !(loss instanceof WassersteinGpLoss))
                : new MlpGan(2, 2, width, 3, (float) Mixture.grid().scale())) {
            new GanTrainer(nets, data, options(3), null).train((i, n, l) -> { }); // warm-up
            double rssStart = AttackBench.residentMb();
            double[] rates = new double[repeat];
            double seconds = 0;
            for (int r = 0; r < repeat; r++) {
                long start = System.nanoTime();
                new GanTrainer(nets, data, options(steps), null).train((i, n, l) -> { });
                double s = (System.nanoTime() - start) / 1e9;
                seconds += s;
                rates[r] = steps / s;
            }
            Spread spread = Spread.of(rates);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "gan");
            out.put("arch", arch);
            out.put("loss", loss.name());
            out.put("width", width);
            out.put("batch", batch);
            out.put("steps", steps);
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", 0));
            out.put("device", Foil.device().toString());
            out.put("repeat", repeat);
            out.put("seconds", seconds);
            out.put("steps_per_second", spread.median());
            out.put("steps_per_second_runs", rates);
            out.put("steps_per_second_min", spread.min());
            out.put("steps_per_second_max", spread.max());
            out.put("spread", spread.relative());
            out.put(images ? "images_per_second" : "samples_per_second", batch * spread.median());
            out.put("rss_start_mb", rssStart);
            out.put("rss_end_mb", AttackBench.residentMb());
            return out;
        }
    }

    /** Uniform noise in [-1, 1] as 1x28x28 "images", drawn from the trainer's random source (also for {@link CycleBench}). */
    static GanTrainer.RealData randomImages() {
        return new GanTrainer.RealData() {
            @Override
            public float[] sample(int n, Random r) {
                float[] x = new float[n * 28 * 28];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 2 * r.nextFloat() - 1;
                }
                return x;
            }

            @Override
            public Shape shape() {
                return new Shape(1, 28, 28);
            }
        };
    }

    private GanTrainer.Options options(int iterations) {
        return new GanTrainer.Options(loss, iterations, batch, 1, 2e-4f, 2e-4f, 0.5f, 0.999f, seed, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
    }
}
