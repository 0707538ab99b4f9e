package foil.cli;

import foil.data.DataSource;
import foil.gan.Truncation;
import foil.metrics.FeatureSource;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.FidJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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
    @Option(names = "--model", required = true, description = "The GAN run directory (from 'foil gan train').")
    Path model;

    @Option(names = "--data", description = "Dataset: fashion-mnist, mnist, or a directory of IDX files.")
    String data = "fashion-mnist";

    @Option(names = "--n", description = "Generated and real images.")
    int n = 10_000;

    @Option(names = "--truncation", description = "Truncation psi in [0, 1] (1: none).")
    double truncation = 1;

    @Option(names = "--running-statistics", description = "Sample with batch norm's running statistics.")
    boolean running;

    @Option(names = "--kid-subsets", description = "KID subsets.")
    int kidSubsets = 100;

    @Option(names = "--kid-subset-size", description = "KID subset size.")
    int kidSubsetSize = 1000;

    @Option(names = "--out", required = true, description = "Run directory to write.")
    Path out;

    @Mixin
    FeatureSpaceOptions space;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        DataSource source = DataSource.locate(data);
        FeatureSource generator = new FeatureSource.Generator(model, new Truncation(truncation, 0),
                running || truncation < 1);
        FidJob job = new FidJob(new FeatureSource.Dataset(source, false), generator, space.features, space.layer,
                source, n, space.k, kidSubsets, kidSubsetSize, space.batch, common.seed);
        RunDirectory dir = RunDirectory.create(out, common.force);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("model", model.toString());
        options.put("n", n);
        options.put("truncation", truncation);
        options.put("kid_subsets", kidSubsets);
        options.put("kid_subset_size", kidSubsetSize);
        space.describe(options);
        dir.writeRun("gan eval", Cli.args(), options, common.seed, Map.of("real", source.describe(), "generator",
                generator.describe()));
        Map<String, Object> m = job.execute(dir);
        System.out.println(Json.line(m));
        return 0;
    }
}
