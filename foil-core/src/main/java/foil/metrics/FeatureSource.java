package foil.metrics;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.data.PngFolder;
import foil.gan.GanNetworks;
import foil.run.GanImageJob;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One side of a comparison of image distributions: a dataset split ({@code fashion-mnist}, {@code
 * fashion-mnist:train}, a directory of IDX files, test split by default), a Foil GAN run (a directory with
 * {@code gan.json}: its generator's samples), a folder of PNG images, or an {@code .npz} of features or
 * pytorch-fid statistics.
 */
public sealed interface FeatureSource {
    /** What the source is, for run.json. */
    Map<String, Object> describe();

    /** Its features (or statistics) in {@code net}'s space: {@code n} images at most, drawn with {@code seed}. */
    FeatureFile load(FeatureNetwork net, int n, long seed, int batch);

    /**
     * How the source's images were made, for metrics.json: a generator's weights ("ema" or "raw") and batch-norm
     * mode; empty for images that were not generated.
     */
    default Map<String, Object> sampling() {
        return Map.of();
    }

    /** The dataset behind the source, for the default feature network and the real floor; null where none. */
    default DataSource dataset() {
        return null;
    }

    static FeatureSource parse(String spec) {
        Path p = Path.of(spec);
        if (spec.endsWith(".npz")) {
            if (!Files.isRegularFile(p)) {
                throw new FoilException(spec + " does not exist: give an .npz of 'features' or of 'mu' and 'sigma'");
            }
            return new Stored(p);
        }
        if (Files.isRegularFile(p.resolve(GanImageJob.CONFIG))) {
            return new Generator(p);
        }
        if (PngFolder.holdsImages(p)) {
            return new Images(new PngFolder(p));
        }
        foil.data.DataSplit split = foil.data.DataSplit.parse(spec);
        return new Dataset(split.source(), split.train());
    }

    /** A dataset split. */
    record Dataset(DataSource source, boolean train) implements FeatureSource {
        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>(source.describe());
            m.put("split", train ? "train" : "test");
            return m;
        }

        @Override
        public FeatureFile load(FeatureNetwork net, int n, long seed, int batch) {
            ImageDataset d = train ? source.train() : source.test();
            return new FeatureFile(net.features(d, Math.min(n, d.size()), batch), null);
        }

        @Override
        public DataSource dataset() {
            return source;
        }
    }

    /**
     * A Foil GAN run's generator, with truncation: the moving average of its weights where the run kept one, else
     * the trained weights; sampled with batch norm in training mode (each batch's statistics, as the run's own
     * samples) or, with {@code runningStatistics}, in inference mode (needed for truncation, which training-mode
     * batch norm largely normalises away).
     */
    record Generator(Path dir, foil.gan.Truncation truncation, boolean runningStatistics) implements FeatureSource {
        public Generator(Path dir) {
            this(dir, foil.gan.Truncation.NONE, false);
        }

        @Override
        public Map<String, Object> describe() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("generator", dir.toAbsolutePath().toString());
            m.put("truncation_psi", truncation.psi());
            m.put("mode", mode());
            m.putAll(weights());
            return m;
        }

        @Override
        public Map<String, Object> sampling() {
            Map<String, Object> m = new LinkedHashMap<>(weights());
            m.put("sampling_mode", mode());
            return m;
        }

        private String mode() {
            if (!"dcgan".equals(GanImageJob.config(dir).arch())) {
                return GanNetworks.NO_BATCH_NORM;
            }
            return runningStatistics ? GanNetworks.INFERENCE_MODE : GanNetworks.TRAINING_MODE;
        }

        /** The weights {@link GanImageJob#open} installs: the average where the checkpoint holds one. */
        private Map<String, Object> weights() {
            float decay = foil.gan.GanTrainer.storedEmaDecay(dir);
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("generator_weights", decay > 0 ? "ema" : "raw");
            m.put("ema_decay", decay);
            return m;
        }

        @Override
        public FeatureFile load(FeatureNetwork net, int n, long seed, int batch) {
            return load(net, n, seed, batch, (images, b) -> { });
        }

        /**
         * As {@link #load(FeatureNetwork, int, long, int)}, handing each batch of generated images too ({@code b}
         * images in [0, 1], flattened b×C×H×W) to {@code batches}. Batch i's latents are drawn with seed + i ×
         * batch: the same base latents for every truncation.
         */
        public FeatureFile load(FeatureNetwork net, int n, long seed, int batch,
                java.util.function.ObjIntConsumer<float[]> batches) {
            try (foil.gan.ImageGan nets = GanImageJob.open(dir)) {
                return new FeatureFile(features(nets, net, truncation, runningStatistics, n, seed, batch, batches),
                        null);
            }
        }

        /**
         * Features of {@code n} samples of a generator as it is, drawn in batches of {@code batch} (as in training),
         * the latents of each batch from {@code seed} plus its offset.
         */
        public static float[][] features(GanNetworks nets, FeatureNetwork net, foil.gan.Truncation truncation,
                boolean runningStatistics, int n, long seed, int batch) {
            return features(nets, net, truncation, runningStatistics, n, seed, batch, (images, b) -> { });
        }

        /** As above, handing each batch of generated images to {@code batches} too. */
        public static float[][] features(GanNetworks nets, FeatureNetwork net, foil.gan.Truncation truncation,
                boolean runningStatistics, int n, long seed, int batch,
                java.util.function.ObjIntConsumer<float[]> batches) {
            float[][] out = new float[n][];
            for (int done = 0; done < n; done += batch) {
                int b = Math.min(batch, n - done);
                float[] images;
                if (runningStatistics) { // ψ applied by the generator: to z, or in W for a style-based one
                    float[] z = new foil.gan.Truncation(1, truncation.threshold()).latents(b, nets.latent(), seed + done);
                    images = GanImageJob.toUnit(nets.sampleTruncated(z, b, truncation.psi()));
                } else {
                    images = GanImageJob.toUnit(nets.sample(truncation.latents(b, nets.latent(), seed + done), b));
                }
                System.arraycopy(net.features(images, b, batch), 0, out, done, b);
                batches.accept(images, b);
            }
            return out;
        }
    }

    /** A folder of PNG images, the first n in file-name order, converted to the network's channels. */
    record Images(PngFolder folder) implements FeatureSource {
        @Override
        public Map<String, Object> describe() {
            return Map.of("png_folder", folder.dir().toAbsolutePath().toString(), "png_files", folder.files().size());
        }

        @Override
        public FeatureFile load(FeatureNetwork net, int n, long seed, int batch) {
            ai.djl.ndarray.types.Shape in = net.model().inputShape();
            float[] pixels = folder.read(n, (int) in.get(0), (int) in.get(1), (int) in.get(2));
            return new FeatureFile(net.features(pixels, pixels.length / (int) in.size(), batch), null);
        }
    }

    /** Features or statistics saved earlier (by Foil or by pytorch-fid). */
    record Stored(Path file) implements FeatureSource {
        @Override
        public Map<String, Object> describe() {
            return Map.of("file", file.toAbsolutePath().toString());
        }

        @Override
        public FeatureFile load(FeatureNetwork net, int n, long seed, int batch) {
            return FeatureFile.read(file);
        }
    }
}
