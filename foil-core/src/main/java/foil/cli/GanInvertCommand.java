package foil.cli;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.DataSplit;
import foil.data.ImageDataset;
import foil.data.PngFolder;
import foil.run.GanImageJob;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.metrics.FeatureNetwork;
import foil.run.InversionJob;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil gan invert}: images' latents under a generator, and how well it reconstructs them. */
@Command(name = "invert", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Finds for each image the latent z whose G(z) is closest to it (gradient descent from random "
                + "restarts with a latent prior; Creswell & Bharath 2018), and draws the originals above their "
                + "reconstructions with each image's error.",
            "Writes inversion.png, inversion.json (per image: error, restart, latent) and metrics.json."})
final class GanInvertCommand implements Callable<Integer> {
    @Mixin
    GanModelOption gan;

    @Option(names = "--images", description = "Images to invert: a dataset split (fashion-mnist:test, "
            + "fashion-mnist:train, a directory of IDX files) or a folder of PNGs of the generator's size.")
    String images = "fashion-mnist:test";

    @Option(names = "--n", description = "How many images (the first ones of --images).")
    int n = 20;

    @Mixin
    OutputOption output;

    @Mixin
    InversionOptions inversion;

    @Mixin
    FeatureSpaceOptions space;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        if (n < 1) {
            throw new FoilException("--n must be positive, not " + n);
        }
        InversionJob job = new InversionJob(gan.model, inversion.inversion(), space.batch, common.seed);
        float[] pixels;
        DataSource source = null;
        if (PngFolder.holdsImages(Path.of(images))) {
            PngFolder folder = new PngFolder(Path.of(images));
            int channels = GanImageJob.config(gan.model).channels();
            pixels = folder.read(n, channels, 28, 28);
            if (pixels.length / (28 * 28 * channels) < n) {
                throw new FoilException(images + " has " + folder.files().size() + " PNG files, fewer than --n " + n);
            }
        } else {
            DataSplit split = DataSplit.parse(images);
            source = split.source();
            ImageDataset data = split.images();
            if (n > data.size()) {
                throw new FoilException(images + " has " + data.size() + " images, fewer than --n " + n);
            }
            pixels = Arrays.copyOf(data.pixels(), n * data.imageSize());
        }
        if (inversion.featureWeight > 0 && space.features == null && source == null) {
            throw new FoilException("--feature-weight with PNG images needs --features MODEL (no dataset to take "
                    + "the default feature network from)");
        }
        RunDirectory dir = common.startRun(output.out, source != null ? source.describe()
                : Map.of("png_folder", Path.of(images).toAbsolutePath().toString()));
        try (FeatureNetwork net = inversion.featureWeight > 0 ? space.open(source) : null) {
            System.out.println(Json.line(job.execute(dir, pixels, n, images, net)));
        }
        return 0;
    }
}
