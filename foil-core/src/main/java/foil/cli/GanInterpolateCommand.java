package foil.cli;

import foil.data.DataSource;
import foil.gan.Interpolation;
import foil.metrics.FeatureNetwork;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.InterpolationJob;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil gan interpolate}: paths between latents, and the perceptual path length. */
@Command(name = "interpolate", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Draws paths between pairs of latents (endpoints exactly G(z0) and G(z1)) and measures the "
                + "perceptual path length (Karras et al. 2019) in the feature network's space, for lerp and slerp.",
            "Writes interpolation.png and metrics.json (ppl_lerp, ppl_slerp, endpoint_error)."})
final class GanInterpolateCommand implements Callable<Integer> {
    @Mixin
    GanModelOption gan;

    @Option(names = "--pairs", description = "Rows of the grid: pairs of latents.")
    int pairs = 6;

    @Option(names = "--steps", description = "Images along each path, endpoints included.")
    int steps = 10;

    @Option(names = "--method", description = "Path drawn: lerp or slerp.")
    String method = "slerp";

    @Option(names = "--ppl-samples", description = "Random pairs and positions for the path length.")
    int pplSamples = 2000;

    @Option(names = "--epsilon", description = "Step of the path length's finite difference.")
    double epsilon = 1e-4;

    @Option(names = "--data", description = "Dataset of the default feature network.")
    String data = "fashion-mnist";

    @Mixin
    OutputOption output;

    @Mixin
    FeatureSpaceOptions space;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        InterpolationJob job = new InterpolationJob(gan.model, pairs, steps, Interpolation.of(method), pplSamples, epsilon,
                space.batch, common.seed);
        DataSource source = space.features == null ? DataSource.locate(data) : null;
        RunDirectory dir = common.startRun(output.out, source == null ? Map.of() : source.describe());
        try (FeatureNetwork net = space.open(source)) {
            System.out.println(Json.line(job.execute(dir, net)));
        }
        return 0;
    }
}
