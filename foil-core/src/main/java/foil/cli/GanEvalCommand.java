package foil.cli;

import foil.data.DataSource;
import foil.gan.Truncation;
import foil.metrics.FeatureSource;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.FidJob;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil gan eval}: a generator scored against its data (test split) the way {@code foil fid} scores sets. */
@Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Scores a Foil GAN run's generator against real test images: FID, FID-inf, KID, precision, "
                + "recall, density, coverage and the real-against-real floor, in the feature network named in "
                + "metrics.json.",
            "Samples use batch norm in training mode (as the run's own samples) unless --running-statistics or a "
                    + "--truncation below 1 asks for inference mode."})
final class GanEvalCommand implements Callable<Integer> {
    @Mixin
    GanModelOption gan;

    @Mixin
    DataOption.Default data;

    @Option(names = "--n", description = "Generated and real images.")
    int n = 10_000;

    @Option(names = "--truncation", description = "Truncation psi in [0, 1] (1: none).")
    double truncation = 1;

    @Option(names = "--running-statistics", description = "Sample with batch norm's running statistics.")
    boolean running;

    @Mixin
    KidOptions kid;

    @Mixin
    OutputOption output;

    @Mixin
    FeatureSpaceOptions space;

    @Mixin
    PrdcOption prdc;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        DataSource source = data.locate();
        FeatureSource generator = new FeatureSource.Generator(gan.model, new Truncation(truncation, 0),
                running || truncation < 1);
        FidJob job = new FidJob(new FeatureSource.Dataset(source, false), generator, space.features, space.layer,
                source, n, prdc.k, kid.kidSubsets, kid.kidSubsetSize, space.batch, common.seed);
        RunDirectory dir = common.startRun(output.out, Map.of("real", source.describe(), "generator",
                generator.describe()));
        Map<String, Object> m = job.execute(dir);
        System.out.println(Json.line(m));
        return 0;
    }
}
