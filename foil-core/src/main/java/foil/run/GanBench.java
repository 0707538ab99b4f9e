package foil.run;

import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.gan.Dcgan;
import foil.gan.GanLoss;
import foil.gan.GanNetworks;
import foil.gan.GanTrainer;
import foil.gan.Mixture;
import foil.gan.ImageGan;
import foil.gan.MlpGan;
import foil.gan.NonSaturatingLoss;
import foil.gan.ProgressiveGan;
import foil.gan.StyleGan;
import foil.gan.WassersteinGpLoss;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/**
 * Times GAN training steps, one discriminator and one generator step per batch: DCGAN on random 28x28 images, or
 * the 3-layer MLP pair of {@code gan mog} on the 25-Gaussian grid, with any loss (WGAN-GP adds its penalty).
 * Adam at 2e-4 for both; gan mog's own schedule (5 critic steps for WGAN-GP, its rates) is not what is timed.
 *
 * <p>{@code progressive} and {@code stylegan} time {@code gan train}'s own iteration on random 28x28 images (padded to
 * 32x32 inside the networks): its networks, its loss (see {@link #defaultLoss}), one critic step, Adam with β₁ = 0
 * and β₂ = 0.99 at 1e-3 (progressive) or 2e-3 (StyleGAN), the generator's moving average at 0.99, latent 64,
 * minibatch-stddev groups of 4; StyleGAN with 4 mapping layers and style mixing at 0.9. One trainer runs the warm-up
 * and every timed run, so its Adam state and lazy R1 cadence carry on as in training. Progressive growing runs with
 * phases of one image: the trainer's first iteration is at 4x4, every later one at 32x32 with α = 1, and only those
 * are timed.
 */
public record GanBench(String arch, GanLoss loss, int batch, int steps, int width, long seed, int repeat, int warmup) {
    /** The untimed iterations before the timed runs by default (what {@code foil bench gan --warmup} defaults to). */
    public static final int WARMUP = 20;

    /** One timed run. */
    public GanBench(String arch, GanLoss loss, int batch, int steps, int width, long seed) {
        this(arch, loss, batch, steps, width, seed, 1);
    }

    /** {@code repeat} timed runs after the default warm-up. */
    public GanBench(String arch, GanLoss loss, int batch, int steps, int width, long seed, int repeat) {
        this(arch, loss, batch, steps, width, seed, repeat, WARMUP);
    }

    public GanBench {
        if (repeat < 1) {
            throw new FoilException("--repeat must be at least 1, not " + repeat);
        }
        if (warmup < 1) {
            throw new FoilException("--warmup must be at least 1, not " + warmup);
        }
        if (!java.util.List.of("dcgan", "mlp", "progressive", "stylegan").contains(arch)) {
            throw new FoilException("unknown GAN architecture '" + arch + "': use dcgan, mlp, progressive or stylegan");
        }
        if (batch < 1 || steps < 1 || width < 1 || width > 4096) {
            throw new FoilException("--batch and --steps must be positive, --width in [1, 4096]");
        }
    }

    /** The loss {@code gan train} uses for an architecture when --loss is not given. */
    public static GanLoss defaultLoss(String arch) {
        return switch (arch) {
            case "progressive" -> new WassersteinGpLoss(10f).regularized(0.001f, 0f, 1);
            case "stylegan" -> new NonSaturatingLoss().regularized(0f, 0.1f, 4);
            default -> new NonSaturatingLoss();
        };
    }

    /** The width each architecture is timed at by default: gan train's for the image GANs, gan mog's for mlp. */
    public static int defaultWidth(String arch) {
        return switch (arch) {
            case "mlp" -> 128;
            case "dcgan", "progressive" -> 64;
            default -> 32;
        };
    }

    /** The batch each architecture is timed at by default: gan train's 32 for progressive and StyleGAN, else 128. */
    public static int defaultBatch(String arch) {
        return karras(arch) ? 32 : 128;
    }

    private static boolean karras(String arch) {
        return arch.equals("progressive") || arch.equals("stylegan");
    }

    public Map<String, Object> execute() {
        if (karras(arch)) {
            return executeKarras();
        }
        boolean images = arch.equals("dcgan");
        GanTrainer.RealData data = images ? randomImages() : Mixture.grid().realData();
        Foil.seed(seed);
        try (GanNetworks nets = images ? new Dcgan(100, 1, width, !(loss instanceof WassersteinGpLoss))
                : new MlpGan(2, 2, width, 3, (float) Mixture.grid().scale())) {
            new GanTrainer(nets, data, options(warmup), null).train((i, n, l) -> { }); // warm-up
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
            return report(rates, seconds, images, rssStart, Map.of());
        }
    }

    /** One trainer, iteration after iteration; each timed run spans {@code steps} iterations at full resolution. */
    private Map<String, Object> executeKarras() {
        boolean growing = arch.equals("progressive");
        int timed = repeat * steps;
        int iterations = (growing ? 1 : 0) + warmup + timed + 1; // the last iteration only marks the end of the last run
        long[] starts = new long[iterations]; // when each iteration drew its real batch (one critic step each)
        GanTrainer.RealData random = randomImages();
        int[] drawn = {0};
        GanTrainer.RealData marked = new GanTrainer.RealData() {
            @Override
            public float[] sample(int n, Random r) {
                starts[drawn[0]++] = System.nanoTime();
                return random.sample(n, r);
            }

            @Override
            public Shape shape() {
                return random.shape();
            }
        };
        Foil.seed(seed);
        try (ImageGan nets = growing ? new ProgressiveGan(new ProgressiveGan.Settings(4, 1, width, LATENT, GROUP), 1, 28, 28)
                : new StyleGan(new StyleGan.Settings(LATENT, width, 4, 0.9, GROUP), 1, 28, 28)) {
            GanTrainer.Options o = new GanTrainer.Options(loss, iterations, batch, 1, growing ? 1e-3f : 2e-3f,
                    growing ? 1e-3f : 2e-3f, 0f, 0.99f, seed, Integer.MAX_VALUE, Integer.MAX_VALUE).withEma(EMA);
            double rssStart = AttackBench.residentMb();
            new GanTrainer(nets, marked, o, null).train((i, n, l) -> { });
            if (drawn[0] != iterations) {
                throw new IllegalStateException("the trainer drew " + drawn[0] + " real batches in " + iterations
                        + " iterations");
            }
            int first = iterations - 1 - timed;
            double[] rates = new double[repeat];
            double seconds = 0;
            for (int r = 0; r < repeat; r++) {
                double s = (starts[first + (r + 1) * steps] - starts[first + r * steps]) / 1e9;
                seconds += s;
                rates[r] = steps / s;
            }
            Map<String, Object> extra = new LinkedHashMap<>(nets.schedule());
            extra.put("lr", o.lrG());
            extra.put("betas", new float[] {o.beta1(), o.beta2()});
            extra.put("ema", o.ema());
            extra.put("latent", LATENT);
            return report(rates, seconds, true, rssStart, extra);
        }
    }

    private static final int LATENT = 64;
    private static final int GROUP = 4;
    private static final float EMA = 0.99f;

    private Map<String, Object> report(double[] rates, double seconds, boolean images, double rssStart,
            Map<String, Object> extra) {
        Spread spread = Spread.of(rates);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("bench", "gan");
        out.put("arch", arch);
        out.put("loss", loss.name());
        out.put("width", width);
        out.put("batch", batch);
        out.put("steps", steps);
        out.putAll(extra);
        out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", 0));
        out.put("device", Foil.device().toString());
        out.put("repeat", repeat);
        out.put("warmup", warmup);
        out.put("seconds", seconds);
        out.put("steps_per_second", spread.median());
        out.put("steps_per_second_runs", rates);
        out.put("steps_per_second_min", spread.min());
        out.put("steps_per_second_max", spread.max());
        out.put("spread", spread.relative());
        out.put(images ? "images_per_second" : "samples_per_second", batch * spread.median());
        out.put("numerics", foil.numerics.Numerics.ensure()); // the convolution route: machines of one kind differ
        out.put("rss_start_mb", rssStart);
        out.put("rss_end_mb", AttackBench.residentMb());
        return out;
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
