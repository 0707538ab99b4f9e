package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.SplittableRandom;

/**
 * Random numbers drawn per image, from a stream of its own, so that what a randomised attack does to an
 * image depends on the image's seed only: not on the batch it is in, nor on the other images, nor on how a
 * test set is split into shards or partitions. The streams keep their state: a second draw continues where
 * the first stopped, and a {@linkplain #select(int[]) selection} shares the streams of the images it keeps.
 */
public final class ImageRandom {
    private final SplittableRandom[] streams;

    private ImageRandom(SplittableRandom[] streams) {
        this.streams = streams;
    }

    /** One stream per image, seeded from {@code seed} and the image's index in its dataset. */
    public static ImageRandom of(long seed, int[] imageIndices) {
        SplittableRandom[] s = new SplittableRandom[imageIndices.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = new SplittableRandom(mix(seed, imageIndices[i]));
        }
        return new ImageRandom(s);
    }

    /** One stream per image, seeded from the engine's random generator (so from {@code Foil.seed}). */
    public static ImageRandom fromEngine(NDManager manager, int images) {
        int[] seeds;
        try (NDManager m = manager.newSubManager()) {
            seeds = m.randomInteger(0, Integer.MAX_VALUE, new Shape(Math.max(1, images)),
                    ai.djl.ndarray.types.DataType.INT32).toIntArray();
        }
        SplittableRandom[] s = new SplittableRandom[images];
        for (int i = 0; i < images; i++) {
            s[i] = new SplittableRandom(mix(seeds[i], i));
        }
        return new ImageRandom(s);
    }

    /** The seed of image {@code index} under run seed {@code seed} (SplitMix64's finaliser of both). */
    public static long mix(long seed, long index) {
        long z = seed * 0x9E3779B97F4A7C15L + index + 0x632BE59BD9B4E019L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    public int size() {
        return streams.length;
    }

    /** The stream of image {@code i} of the batch. */
    public SplittableRandom stream(int i) {
        return streams[i];
    }

    /** The images {@code rows} of this batch, sharing their streams. */
    public ImageRandom select(int[] rows) {
        SplittableRandom[] s = new SplittableRandom[rows.length];
        for (int i = 0; i < rows.length; i++) {
            s[i] = streams[rows[i]];
        }
        return new ImageRandom(s);
    }

    /** Uniform in [lo, hi), shaped B×{@code perImage}; row i drawn from image i's stream. */
    public NDArray uniform(NDManager manager, Shape perImage, float lo, float hi) {
        int per = (int) perImage.size();
        float[] v = new float[streams.length * per];
        for (int i = 0; i < streams.length; i++) {
            for (int j = 0; j < per; j++) {
                v[i * per + j] = (float) (lo + (hi - lo) * streams[i].nextDouble());
            }
        }
        return manager.create(v, new Shape(streams.length).addAll(perImage));
    }

    /** Standard normal, shaped B×{@code perImage}; row i drawn from image i's stream. */
    public NDArray normal(NDManager manager, Shape perImage) {
        int per = (int) perImage.size();
        float[] v = new float[streams.length * per];
        for (int i = 0; i < streams.length; i++) {
            for (int j = 0; j < per; j += 2) {
                // Box-Muller: two normals from two uniforms
                double u = 1.0 - streams[i].nextDouble();
                double w = streams[i].nextDouble();
                double r = Math.sqrt(-2.0 * Math.log(u));
                v[i * per + j] = (float) (r * Math.cos(2 * Math.PI * w));
                if (j + 1 < per) {
                    v[i * per + j + 1] = (float) (r * Math.sin(2 * Math.PI * w));
                }
            }
        }
        return manager.create(v, new Shape(streams.length).addAll(perImage));
    }

    /** One uniform number in [0, 1) per image. */
    public float[] uniform() {
        float[] v = new float[streams.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) streams[i].nextDouble();
        }
        return v;
    }
}
