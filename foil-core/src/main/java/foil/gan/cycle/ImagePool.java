package foil.gan.cycle;

import foil.FoilException;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The history of generated images a CycleGAN discriminator learns from (Shrivastava et al. 2017; Zhu et al. 2017,
 * section 4): up to {@code capacity} earlier images. For each image of a new batch: while the pool is not full, the
 * image is stored and returned; once it is full, with probability ½ a stored image chosen uniformly is returned and
 * the new one takes its place, otherwise the new image is returned and the pool is unchanged. With capacity 0 the
 * batch passes through. The images live on the Java heap (C×H×W floats each) and are checkpointed with the run.
 */
public final class ImagePool {
    /** The paper's size. */
    public static final int DEFAULT_CAPACITY = 50;

    private final int capacity;
    private final int imageSize;
    private final List<float[]> images = new ArrayList<>();

    public ImagePool(int capacity, int imageSize) {
        if (capacity < 0 || imageSize < 1) {
            throw new FoilException("an image pool needs capacity >= 0 and images of at least one value (capacity "
                    + capacity + ", image size " + imageSize + ")");
        }
        this.capacity = capacity;
        this.imageSize = imageSize;
    }

    public int capacity() {
        return capacity;
    }

    /** Images stored now. */
    public int size() {
        return images.size();
    }

    /**
     * The images to show the discriminator for a batch of {@code n} new ones (flattened n × imageSize), drawing the
     * coin flips and the replaced slots from {@code random}; updates the pool.
     */
    public float[] query(float[] batch, int n, Random random) {
        if (batch.length != (long) n * imageSize) {
            throw new FoilException(batch.length + " values are not " + n + " images of " + imageSize);
        }
        if (capacity == 0) {
            return batch.clone();
        }
        float[] out = new float[batch.length];
        for (int i = 0; i < n; i++) {
            float[] image = java.util.Arrays.copyOfRange(batch, i * imageSize, (i + 1) * imageSize);
            float[] shown = image;
            if (images.size() < capacity) {
                images.add(image);
            } else if (random.nextDouble() > 0.5) {
                int slot = random.nextInt(capacity);
                shown = images.get(slot);
                images.set(slot, image);
            }
            System.arraycopy(shown, 0, out, i * imageSize, imageSize);
        }
        return out;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(capacity);
        out.writeInt(imageSize);
        out.writeInt(images.size());
        for (float[] image : images) {
            for (float v : image) {
                out.writeFloat(v);
            }
        }
    }

    public void load(DataInputStream in) throws IOException {
        int c = in.readInt();
        int s = in.readInt();
        if (c != capacity || s != imageSize) {
            throw new IOException("an image pool of " + c + " images of " + s + " values where " + capacity + " of "
                    + imageSize + " are needed");
        }
        int count = in.readInt();
        if (count < 0 || count > capacity) {
            throw new IOException("an image pool holding " + count + " images, more than its capacity " + capacity);
        }
        images.clear();
        for (int k = 0; k < count; k++) {
            float[] image = new float[imageSize];
            for (int i = 0; i < imageSize; i++) {
                image[i] = in.readFloat();
            }
            images.add(image);
        }
    }
}
