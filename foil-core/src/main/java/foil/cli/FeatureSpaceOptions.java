package foil.cli;

import foil.FoilException;
import foil.data.DataSource;
import foil.metrics.FeatureNetwork;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options of the commands that measure in a feature space (foil fid, foil gan truncation, ...). */
final class FeatureSpaceOptions {
    @Option(names = "--features", description = "A Foil model directory to measure in instead of the default (a cnn "
            + "of the dataset, trained once with a fixed seed and cached).")
    Path features;

    @Option(names = "--layer", description = "Layer of --features.")
    String layer = "penultimate";

    @Option(names = "--batch", description = "Batch size of generation and feature extraction.")
    int batch = 250;

    /** The feature network: --features, or the default one of {@code data} (which may then not be null). */
    FeatureNetwork open(DataSource data) {
        if (features == null && data == null) {
            throw new FoilException("no dataset for the default feature network: give --data or --features");
        }
        return FeatureNetwork.open(features, layer, data);
    }
}
