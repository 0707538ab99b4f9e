package foil.testing;

import foil.data.Idx;
import foil.data.IdxArray;
import foil.data.ImageDataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * Small synthetic image datasets for tests: each class has its own random template, and each image is its
 * class template plus noise, so simple models learn it in seconds.
 */
public final class Synthetic {
    public static final int CLASSES = 10;
    public static final int SIDE = 12;

    private Synthetic() {}

    public static ImageDataset dataset(int n, long seed) {
        return dataset(n, seed, SIDE);
    }

    public static ImageDataset dataset(int n, long seed, int side) {
        Random templates = new Random(42);
        int per = side * side;
        float[][] t = new float[CLASSES][per];
        for (int k = 0; k < CLASSES; k++) {
            for (int p = 0; p < per; p++) {
                t[k][p] = templates.nextFloat() < 0.5f ? 0.6f : 0.4f;
            }
        }
        Random r = new Random(seed);
        float[] pixels = new float[n * per];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % CLASSES;
            for (int p = 0; p < per; p++) {
                float v = t[labels[i]][p] + (float) (r.nextGaussian() * 0.1);
                pixels[i * per + p] = Math.min(1f, Math.max(0f, v));
            }
        }
        return new ImageDataset("synthetic", pixels, labels, 1, side, side, CLASSES);
    }

    /** Writes train (n) and test (n/4) IDX files, gzipped, into {@code dir}. */
    public static Path writeIdx(Path dir, int n) throws IOException {
        return writeIdx(dir, n, SIDE);
    }

    public static Path writeIdx(Path dir, int n, int side) throws IOException {
        Files.createDirectories(dir);
        write(dir, "train", dataset(n, 1, side));
        write(dir, "t10k", dataset(Math.max(10, n / 4), 2, side));
        return dir;
    }

    private static void write(Path dir, String split, ImageDataset d) {
        byte[] px = new byte[d.pixels().length];
        for (int i = 0; i < px.length; i++) {
            px[i] = (byte) Math.round(d.pixels()[i] * 255f);
        }
        byte[] lb = new byte[d.size()];
        for (int i = 0; i < lb.length; i++) {
            lb[i] = (byte) d.labels()[i];
        }
        Idx.write(dir.resolve(split + "-images-idx3-ubyte.gz"), IdxArray.ofUbytes(px, d.size(), d.height(), d.width()));
        Idx.write(dir.resolve(split + "-labels-idx1-ubyte.gz"), IdxArray.ofUbytes(lb, d.size()));
    }
}
