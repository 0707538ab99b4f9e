package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.nn.Resample;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Progressive growing of GANs (Karras et al. 2018), reduced to train on a CPU: a {@link ProgressiveGenerator} and a
 * {@link ProgressiveCritic} that grow along a {@link GrowthSchedule} (4 → 8 → 16 → 32 for 28-pixel images, padded
 * with the background as the official code does for MNIST; or 7 → 14 → 28). The trainer moves the schedule with
 * the images shown ({@link #advance}), resets Adam at each new stage, and has the real images cross-faded the same
 * way as the generator's output ({@link #prepareReal}): pooled to the level, blended with their own lower-resolution
 * version by α during a fade. Pair it with WGAN-GP and the drift term, as the paper does.
 */
public final class ProgressiveGan extends KarrasPair {
    /** What rebuilds the networks: the growth, the latent size, the base width and the minibatch-stddev group. */
    public record Settings(int base, long phaseImages, int width, int latent, int group) {
        public Settings {
            if (width < 8 || latent < 1 || group < 1) {
                throw new FoilException("progressive growing needs --width >= 8, a positive latent size and group (got "
                        + width + ", " + latent + ", " + group + ")");
            }
        }
    }

    private final Settings settings;
    private final GrowthSchedule schedule;
    private final int size;
    private final ProgressiveGenerator g;
    private final ProgressiveCritic d;
    private long images;

    public ProgressiveGan(Settings s, int channels, int height, int width) {
        this(s, channels, height, width, schedule(s, height, width));
    }

    private ProgressiveGan(Settings s, int channels, int height, int width, GrowthSchedule schedule) {
        this(s, channels, height, schedule, widths(s.width(), schedule.levels()),
                (schedule.full() - height) / 2);
    }

    private ProgressiveGan(Settings s, int channels, int size, GrowthSchedule schedule, int[] widths, int pad) {
        this(s, channels, size, schedule, new ProgressiveGenerator(s.latent(), channels, schedule, widths, pad),
                new ProgressiveCritic(channels, schedule, widths, pad, s.group()));
    }

    private ProgressiveGan(Settings s, int channels, int size, GrowthSchedule schedule, ProgressiveGenerator g,
            ProgressiveCritic d) {
        super("progressive", g, d, s.latent(), channels, size);
        this.settings = s;
        this.schedule = schedule;
        this.size = size;
        this.g = g;
        this.d = d;
        advance(schedule.totalImages()); // a new pair stands at its full resolution until a trainer moves it
    }

    private static GrowthSchedule schedule(Settings s, int height, int width) {
        if (height != width) {
            throw new FoilException("progressive growing takes square images; these are " + height + "x" + width);
        }
        return GrowthSchedule.forImages(height, s.base(), s.phaseImages());
    }

    /**
     * The channels of each level: the width, halved at the last level where there are three or more (fewer channels
     * at the highest resolution, as in Karras et al.'s networks).
     */
    static int[] widths(int width, int levels) {
        int[] w = new int[levels];
        for (int l = 0; l < levels; l++) {
            w[l] = levels >= 3 && l == levels - 1 ? Math.max(8, width / 2) : width;
        }
        return w;
    }

    public GrowthSchedule growth() {
        return schedule;
    }

    public Settings settings() {
        return settings;
    }

    @Override
    public int advance(long shown) {
        images = shown;
        int stage = schedule.stage(shown);
        int level = schedule.level(stage);
        float alpha = schedule.alpha(shown);
        g.at(level, alpha);
        d.at(level, alpha);
        return stage;
    }

    /** The level in training now. */
    public int level() {
        return schedule.level(schedule.stage(images));
    }

    public float alpha() {
        return schedule.alpha(images);
    }

    /** The resolution in training now. */
    public int resolution() {
        return schedule.resolution(level());
    }

    /** Renders at level {@code level} with α = 1 (for the figure of one latent at every resolution); call advance after. */
    public void showLevel(int level) {
        g.at(level, 1f);
        d.at(level, 1f);
    }

    @Override
    public Map<String, Object> schedule() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("resolution", resolution());
        m.put("alpha", (double) alpha());
        m.put("stage", schedule.stage(images));
        return m;
    }

    /**
     * The real batch at the current level: padded, pooled to the level's resolution and, during a fade, blended with
     * its own lower-resolution version by α; then brought back to the data's shape as the generator's output is.
     */
    @Override
    public NDArray prepareReal(NDArray x) {
        int pad = (schedule.full() - size) / 2;
        int level = level();
        int down = schedule.levels() - 1 - level;
        NDArray r = Resample.downAverage(Resample.pad(x, pad, -1f), down);
        if (level > 0 && alpha() < 1f) {
            r = Resample.upNearest(Resample.downAverage(r)).mul(1 - alpha()).add(r.mul(alpha()));
        }
        return Resample.pad(Resample.upNearest(r, down), -pad, 0f);
    }
}
