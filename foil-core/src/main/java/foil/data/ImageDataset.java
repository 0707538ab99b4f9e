package foil.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;

/**
 * Images in [0, 1] laid out N×C×H×W in one float array, with integer labels. Small and immutable
 * in spirit: slices copy.
 */
public record ImageDataset(String name, float[] pixels, int[] labels, int channels, int height, int width,
        int numClasses) {

    public ImageDataset {
        int per = channels * height * width;
        if (per <= 0 || pixels.length != (long) labels.length * per) {
            throw new FoilException("dataset " + name + ": " + labels.length + " labels do not match "
                    + pixels.length + " pixel values of " + channels + "x" + height + "x" + width + " images");
        }
    }

    public int size() {
        return labels.length;
    }

    public int imageSize() {
        return channels * height * width;
    }

    public Shape imageShape() {
        return new Shape(channels, height, width);
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive). */
    public ImageDataset slice(int from, int to) {
        if (from < 0 || to > size() || from >= to) {
            throw new FoilException("subset " + from + ":" + to + " is outside the " + size()
                    + " examples of " + name + ": give A:B with 0 <= A < B <= " + size());
        }
        int per = imageSize();
        float[] p = new float[(to - from) * per];
        System.arraycopy(pixels, from * per, p, 0, p.length);
        int[] l = new int[to - from];
        System.arraycopy(labels, from, l, 0, l.length);
        return new ImageDataset(name + "[" + from + ":" + to + "]", p, l, channels, height, width, numClasses);
    }

    /** The examples whose label passes {@code keep}, in their order, named with {@code suffix} added. */
    public ImageDataset withLabels(String suffix, java.util.function.IntPredicate keep) {
        int per = imageSize();
        int count = 0;
        for (int l : labels) {
            count += keep.test(l) ? 1 : 0;
        }
        float[] px = new float[count * per];
        int[] kept = new int[count];
        int k = 0;
        for (int i = 0; i < size(); i++) {
            if (keep.test(labels[i])) {
                System.arraycopy(pixels, i * per, px, k * per, per);
                kept[k++] = labels[i];
            }
        }
        return new ImageDataset(name + suffix, px, kept, channels, height, width, numClasses);
    }

    /** The first {@code n} examples, or all when there are fewer. */
    public ImageDataset head(int n) {
        return n >= size() ? this : slice(0, n);
    }

    /** A batch of images as an NDArray (B×C×H×W) under {@code manager}. */
    public NDArray images(NDManager manager, int from, int to) {
        int per = imageSize();
        float[] p = new float[(to - from) * per];
        System.arraycopy(pixels, from * per, p, 0, p.length);
        return manager.create(p, new Shape(to - from, channels, height, width));
    }

    /** Images by index (for shuffled batches). */
    public NDArray images(NDManager manager, int[] index, int from, int to) {
        int per = imageSize();
        float[] p = new float[(to - from) * per];
        for (int i = from; i < to; i++) {
            System.arraycopy(pixels, index[i] * per, p, (i - from) * per, per);
        }
        return manager.create(p, new Shape(to - from, channels, height, width));
    }

    /** Labels of a batch as an int64 NDArray. */
    public NDArray labels(NDManager manager, int from, int to) {
        long[] l = new long[to - from];
        for (int i = from; i < to; i++) {
            l[i - from] = labels[i];
        }
        return manager.create(l);
    }

    public NDArray labels(NDManager manager, int[] index, int from, int to) {
        long[] l = new long[to - from];
        for (int i = from; i < to; i++) {
            l[i - from] = labels[index[i]];
        }
        return manager.create(l);
    }

    /** How many examples each class has. */
    public int[] classCounts() {
        int[] counts = new int[numClasses];
        for (int y : labels) {
            counts[y]++;
        }
        return counts;
    }
}
