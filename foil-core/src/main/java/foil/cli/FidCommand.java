package foil.cli;

import foil.data.DataSource;
import foil.metrics.FeatureSource;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.FidJob;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code foil fid A B}: FID, KID and precision/recall/density/coverage of B against A, with the real floor. */
@Command(name = "fid", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Scores B against A in a feature space Foil trains itself (default: a cnn of the dataset, "
                + "penultimate layer, cached; figures are named after it and not comparable with Inception-FID).",
            "A and B: a dataset (fashion-mnist, fashion-mnist:train, a directory of IDX files; test split by default), "
                    + "a Foil GAN run directory, a folder of PNG images (gray or RGB, the dataset's size), or an .npz of "
                    + "'features' (N x D) or of pytorch-fid's 'mu' and 'sigma'.",
            "Writes metrics.json (fid, fid_inf, kid, kid_std, precision, recall, density, coverage, fid_floor, "
                    + "kid_floor) and both sides' statistics as a_stats.npz and b_stats.npz."})
final class FidCommand implements Callable<Integer> {
    @Parameters(index = "0", description = "The reference set A.")
    String a;

    @Parameters(index = "1", description = "The set B scored against A.")
    String b;

    @Mixin
    OutputOption output;

    @Option(names = "--data", description = "Dataset of the default feature network and the floor (default: "
            + "the first dataset among A and B).")
    String data;

    @Option(names = "--n", description = "Images drawn from each image source (and for the floor).")
    int n = 10_000;

    @Mixin
    KidOptions kid;

    @Mixin
    FeatureSpaceOptions space;

    @Mixin
    PrdcOption prdc;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        FeatureSource sa = FeatureSource.parse(a);
        FeatureSource sb = FeatureSource.parse(b);
        FidJob job = new FidJob(sa, sb, space.features, space.layer, data == null ? null : DataSource.locate(data), n,
                prdc.k, kid.kidSubsets, kid.kidSubsetSize, space.batch, common.seed);
        RunDirectory dir = common.startRun(output.out, Map.of("a", sa.describe(), "b", sb.describe()));
        System.out.println(Json.line(job.execute(dir)));
        return 0;
    }
}
