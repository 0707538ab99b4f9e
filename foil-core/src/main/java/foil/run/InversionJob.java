package foil.run;

import foil.FoilException;
import foil.gan.Inversion;
import foil.io.RunDirectory;
import foil.metrics.FeatureNetwork;
import foil.report.ImageRows;
import foil.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code foil gan invert}: each image's latent under a Foil GAN run's generator, found by {@link Inversion},
 * drawn as the originals above their reconstructions with each image's pixel error, and written out
 * ({@code inversion.json}: per image the error, the best restart and the latent).
 */
public record InversionJob(Path generator, Inversion inversion, int batch, long seed) {

    /** Inverts {@code n} images (flattened, in [0, 1]) named by {@code source} in run.json and the figure. */
    public Map<String, Object> execute(RunDirectory dir, float[] images, int n, String source, FeatureNetwork net) {
        if (batch < 1) {
            throw new FoilException("--batch must be positive, not " + batch);
        }
        Inversion.Result r;
        int channels;
        int height;
        int width;
        try (foil.gan.ImageGan nets = GanImageJob.open(generator)) {
            channels = nets.channels();
            height = nets.height();
            width = nets.width();
            int size = nets.imageSize();
            if (images.length != (long) n * size) {
                throw new FoilException(source + " holds images of " + images.length / Math.max(n, 1)
                        + " values; the generator makes " + channels + "x" + height + "x" + width + " = " + size);
            }
            r = inversion.invert(nets, images, n, batch, net, seed);
        }
        int size = images.length / n;
        int shown = Math.min(n, 40);
        Png.write(ImageRows.draw("Inversion of " + source + " (" + describe(inversion) + ")", pairs("originals",
                images, r, java.util.stream.IntStream.range(0, shown).toArray(), 10), channels, height, width, 2),
                dir.resolve("inversion.png"));
        List<Map<String, Object>> perImage = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("index", i);
            e.put("error", r.errors()[i]);
            e.put("restart", r.bestRestart()[i]);
            e.put("latent", Arrays.copyOfRange(r.latents(), i * r.latent(), (i + 1) * r.latent()));
            perImage.add(e);
        }
        dir.writeJson("inversion.json", perImage);
        double[] sorted = r.errors().clone();
        Arrays.sort(sorted);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("n", n);
        m.put("source", source);
        m.put("mean_error", Arrays.stream(sorted).average().orElse(Double.NaN));
        m.put("median_error", sorted[n / 2]);
        m.put("max_error", sorted[n - 1]);
        m.put("error", "mean squared pixel difference, pixels in [0, 1], best of the restarts");
        m.put("inversion", settings(inversion));
        m.put("generator_mode", "inference (batch norm running statistics)");
        m.put("feature_network", net == null ? null : net.name());
        m.put("pixels_per_image", size);
        dir.writeMetrics(m);
        return m;
    }

    /** The optimiser's settings, for metrics.json. */
    static Map<String, Object> settings(Inversion inv) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("method", inv.method().name().toLowerCase(Locale.ROOT));
        s.put("restarts", inv.restarts());
        s.put("steps", inv.steps());
        s.put("lr", inv.learningRate());
        s.put("prior", inv.prior());
        s.put("feature_weight", inv.featureWeight());
        return s;
    }

    static String describe(Inversion inv) {
        return inv.method().name().toLowerCase(Locale.ROOT) + ", " + inv.steps() + " steps, " + inv.restarts()
                + " restarts";
    }

    /**
     * Rows of originals above their reconstructions, {@code perRow} a row, for the images {@code index} of
     * {@code images}, each reconstruction captioned with its error.
     */
    static List<ImageRows.Row> pairs(String label, float[] images, Inversion.Result r, int[] index, int perRow) {
        int size = images.length / r.n();
        List<ImageRows.Row> rows = new ArrayList<>();
        for (int start = 0; start < index.length; start += perRow) {
            int end = Math.min(index.length, start + perRow);
            List<float[]> originals = new ArrayList<>();
            List<float[]> recon = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int j = start; j < end; j++) {
                int i = index[j];
                originals.add(Arrays.copyOfRange(images, i * size, (i + 1) * size));
                recon.add(Arrays.copyOfRange(r.reconstructions(), i * size, (i + 1) * size));
                captions.add(String.format(Locale.ROOT, "%.4f", r.errors()[i]));
            }
            rows.add(new ImageRows.Row(label, originals, null, null, null));
            rows.add(new ImageRows.Row("reconstructions (error)", recon, captions, null, null));
        }
        return rows;
    }
}
