package foil.cli;

import foil.data.DataSource;
import foil.gan.Interpolation;
import foil.metrics.FeatureNetwork;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.InterpolationJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
    @Option(names = "--model", required = true, description = "The GAN run directory (from 'foil gan train').")
    Path model;

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

    @Option(names = "--out", required = true, description = "Run directory to write.")
    Path out;

    @Mixin
    FeatureSpaceOptions space;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        InterpolationJob job = new InterpolationJob(model, pairs, steps, Interpolation.of(method), pplSamples, epsilon,
                space.batch, common.seed);
        DataSource source = space.features == null ? DataSource.locate(data) : null;
        RunDirectory dir = RunDirectory.create(out, common.force);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("model", model.toString());
        options.put("pairs", pairs);
        options.put("steps", steps);
        options.put("method", method);
        options.put("ppl_samples", pplSamples);
        options.put("epsilon", epsilon);
        space.describe(options);
        dir.writeRun("gan interpolate", Cli.args(), options, common.seed,
                source == null ? Map.of() : source.describe());
        try (FeatureNetwork net = space.open(source)) {
            System.out.println(Json.line(job.execute(dir, net)));
        }
        return 0;
    }
}
