package foil.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.io.RunDirectory;
import foil.run.TrainJob;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The space GAN metrics are measured in: a frozen Foil classifier of the data and one of its layers. No Inception
 * weights can be had offline here, so the default is a cnn trained by Foil on the dataset with a fixed seed and
 * cached per dataset; its figures are named after it ("Foil cnn, penultimate") and are never comparable with
 * Inception-FID figures.
 */
public record FeatureNetwork(FoilModel model, String layer, String name) implements AutoCloseable {
    /** The seed and schedule of the default network; changing them changes every default figure. */
    public static final TrainOptions DEFAULT_TRAINING = new TrainOptions(2, 128, 2e-3f, 0f, 20191);

    public static FeatureNetwork of(FoilModel model, String layer) {
        String resolved = model.resolveLayer(layer);
        return new FeatureNetwork(model, layer, "Foil " + model.architecture().cliName + ", " + layer
                + (resolved.equals(layer) ? "" : " (" + resolved + ")"));
    }

    /**
     * The network to measure in: the Foil model at {@code features} and its {@code layer} when given, else the
     * cached default of {@code data}; null when neither is given.
     */
    public static FeatureNetwork open(Path features, String layer, DataSource data) {
        return features != null ? of(FoilModel.load(features), layer)
                : data != null ? cached(data, defaultCache()) : null;
    }

    /** The dimension of the features. */
    public int dimension() {
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            Shape in = model.inputShape();
            return (int) model.activations(m.zeros(new Shape(1, in.get(0), in.get(1), in.get(2))), layer).getShape()
                    .get(1);
        }
    }

    /** Features of {@code n} images in [0, 1], given flattened N × C × H × W, in batches. */
    public float[][] features(float[] images, int n, int batch) {
        Shape in = model.inputShape();
        int size = (int) in.size();
        if ((long) n * size != images.length) {
            throw new FoilException(images.length + " pixel values are not " + n + " images of " + in
                    + ", which the feature network " + name + " takes");
        }
        float[][] out = new float[n][];
        try (NDManager root = NDManager.newBaseManager(Foil.device())) {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                try (NDManager scope = root.newSubManager()) {
                    float[] chunk = new float[b * size];
                    System.arraycopy(images, from * size, chunk, 0, chunk.length);
                    NDArray x = scope.create(chunk, new Shape(b, in.get(0), in.get(1), in.get(2)));
                    NDArray a = model.activations(x, layer);
                    int d = (int) a.getShape().get(1);
                    float[] flat = a.toFloatArray();
                    for (int i = 0; i < b; i++) {
                        out[from + i] = java.util.Arrays.copyOfRange(flat, i * d, (i + 1) * d);
                    }
                }
            }
        }
        return out;
    }

    /** Features of the first {@code n} images of a dataset. */
    public float[][] features(ImageDataset data, int n, int batch) {
        if (n > data.size()) {
            throw new FoilException(data.name() + " has " + data.size() + " images, fewer than the " + n + " asked for");
        }
        float[] pixels = java.util.Arrays.copyOf(data.pixels(), n * data.imageSize());
        return features(pixels, n, batch);
    }

    /**
     * The default feature network of a dataset: the cached cnn under {@code cache} (a directory per dataset and
     * its files' SHA-256), trained with {@link #DEFAULT_TRAINING} and saved there on first use (written to a
     * temporary directory, then moved, so an interrupted training leaves nothing half-written).
     */
    public static FeatureNetwork cached(DataSource data, Path cache) {
        Map<String, Object> described = data.describe();
        String key = data.name() + "-" + Integer.toHexString(new TreeMap<>((Map<?, ?>) described.get("sha256"))
                .toString().hashCode());
        Path dir = cache.resolve(key);
        if (!Files.isRegularFile(dir.resolve(FoilModel.INFO_FILE))) {
            try {
                Files.createDirectories(cache);
                Path tmp = Files.createTempDirectory(cache, key + ".tmp");
                RunDirectory run = RunDirectory.create(tmp, true);
                run.writeRun("train", List.of(), Map.of("arch", "cnn", "train", DEFAULT_TRAINING, "purpose",
                        "feature network for GAN metrics"), DEFAULT_TRAINING.seed(), described);
                new TrainJob(data, Architecture.CNN, DEFAULT_TRAINING, null).execute(run).model().close();
                try {
                    Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    if (!Files.isRegularFile(dir.resolve(FoilModel.INFO_FILE))) { // another process won the race
                        throw e;
                    }
                }
            } catch (IOException e) {
                throw new FoilException("cannot write the feature network's cache in " + cache + ": " + e.getMessage());
            }
        }
        return of(FoilModel.load(dir), "penultimate");
    }

    /**
     * Where default feature networks are cached: {@code -Dfoil.cache} or {@code $FOIL_CACHE}, else
     * ~/.cache/foil; the networks lie in its feature-networks folder.
     */
    public static Path defaultCache() {
        String env = System.getProperty("foil.cache", System.getenv("FOIL_CACHE"));
        return env != null && !env.isBlank() ? Path.of(env).resolve("feature-networks")
                : Path.of(System.getProperty("user.home"), ".cache", "foil", "feature-networks");
    }

    @Override
    public void close() {
        model.close();
    }
}
