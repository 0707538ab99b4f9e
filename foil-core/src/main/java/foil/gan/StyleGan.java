package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import java.util.Random;

/**
 * A StyleGAN2 pair, small enough for a CPU: the {@link StyleGenerator} and, as its discriminator, the
 * {@link ProgressiveCritic} at full resolution (minibatch standard deviation, equalised learning rate), to be trained
 * with the non-saturating loss and the R1 penalty. Training draws apply style mixing regularisation (Karras et al.
 * 2019, §3.1): with probability {@code mixing} a batch takes a second latent and switches to its w at a random
 * crossover layer. NVIDIA's 32 × 32 configuration turns mixing off; it is on here (0.9 by default) because it is what
 * makes the styles of different layers separable, the point the lecture makes with the mixing grid.
 */
public final class StyleGan extends KarrasPair {
    /** The latent (z and w) size, the base width, the mapping depth, the mixing probability and the mbstd group. */
    public record Settings(int latent, int width, int mappingLayers, double mixing, int group) {
        public Settings {
            if (latent < 1 || width < 4 || mappingLayers < 1 || !(mixing >= 0 && mixing <= 1) || group < 1) {
                throw new FoilException("StyleGAN needs a positive latent size, --width >= 4, at least one mapping layer, "
                        + "--mixing in [0, 1] and a positive group (got " + latent + ", " + width + ", " + mappingLayers
                        + ", " + mixing + ", " + group + ")");
            }
        }
    }

    private final Settings settings;
    private final StyleGenerator g;

    public StyleGan(Settings s, int channels, int height, int width) {
        this(s, channels, height, width, GrowthSchedule.forImages(checkSquare(height, width), 4, 1));
    }

    private StyleGan(Settings s, int channels, int height, int width, GrowthSchedule grid) {
        this(s, channels, height, new StyleGenerator(s.latent(), channels, ProgressiveGan.widths(s.width(),
                grid.levels()), s.mappingLayers(), grid.levels(), (grid.full() - height) / 2),
                critic(s, channels, height, grid));
    }

    private StyleGan(Settings s, int channels, int size, StyleGenerator g, ProgressiveCritic d) {
        super("stylegan", g, d, s.latent(), channels, size);
        this.settings = s;
        this.g = g;
    }

    private static int checkSquare(int height, int width) {
        if (height != width) {
            throw new FoilException("StyleGAN here takes square images; these are " + height + "x" + width);
        }
        return height;
    }

    private static ProgressiveCritic critic(Settings s, int channels, int size, GrowthSchedule grid) {
        ProgressiveCritic d = new ProgressiveCritic(channels, grid, ProgressiveGan.widths(s.width(), grid.levels()),
                (grid.full() - size) / 2, s.group());
        d.at(grid.levels() - 1, 1f);
        return d;
    }

    public Settings settings() {
        return settings;
    }

    public StyleGenerator synthesis() {
        return g;
    }

    /** Styles the synthesis network takes (the crossover layers of mixing are 1 … styles − 1). */
    public int styles() {
        return g.styles();
    }

    @Override
    public NDArray generateForTraining(NDArray z, Random random) {
        NDArray w = g.map(z);
        g.track(w);
        NDArray ws = g.broadcast(w);
        if (settings.mixing() > 0 && random.nextDouble() < settings.mixing()) {
            int n = (int) z.getShape().get(0);
            float[] other = new float[n * g.latent()];
            for (int i = 0; i < other.length; i++) {
                other[i] = (float) random.nextGaussian();
            }
            int crossover = 1 + random.nextInt(styles() - 1);
            ws = mix(ws, g.broadcast(g.map(z.getManager().create(other, z.getShape()))), crossover);
        }
        return g.synthesize(ws, StyleGenerator.NoiseSource.ENGINE);
    }

    /** Styles 0 … crossover − 1 from {@code coarse}, the rest from {@code fine} (each n × styles × latent). */
    public static NDArray mix(NDArray coarse, NDArray fine, int crossover) {
        return coarse.get(new NDIndex(":, 0:{}, :", crossover)).concat(fine.get(new NDIndex(":, {}:, :", crossover)), 1);
    }

    /** The first style acting above 8 × 8: styles before it are the coarse ones ψ applies to. */
    public int coarseStyles() {
        int k = 0;
        while (k < styles() && g.resolutionOf(k) <= 8) {
            k++;
        }
        return k;
    }

    /**
     * The truncation trick in W (Karras et al. 2019, §B): w' = w̄ + ψ(w − w̄) on the coarse styles (4 × 4 and 8 × 8),
     * w̄ the moving average of w kept during training; the fine styles keep w.
     */
    @Override
    public float[] sampleTruncated(float[] z, int n, double psi) {
        try (NDManager m = manager().newSubManager()) {
            NDArray w = g.map(m.create(z, new Shape(n, latent())));
            NDArray ws = g.broadcast(w);
            if (psi != 1) {
                NDArray avg = g.wAverage(m);
                NDArray truncated = g.broadcast(w.sub(avg).mul((float) psi).add(avg));
                ws = mix(truncated, ws, coarseStyles());
            }
            return g.synthesize(ws, StyleGenerator.NoiseSource.ENGINE).toFloatArray();
        }
    }
}
