package foil.cli;

import foil.data.DataSource;
import foil.metrics.FeatureNetwork;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.TruncationJob;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil gan truncation}: the quality/diversity trade-off of truncation, in samples, numbers and curves. */
@Command(name = "truncation", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"For each psi, samples from the same latents pulled towards the mean latent, scored against "
                + "real test images: FID, precision, recall, density, coverage (feature network named in the figures) "
                + "and the entropy of the feature network's predicted classes.",
            "Writes truncation_rows.png (one row per psi), tradeoff.png, fid.png and metrics.json (rows)."})
final class GanTruncationCommand implements Callable<Integer> {
    @Mixin
    GanModelOption gan;

    @Option(names = "--psi", description = "Comma-separated psi values in [0, 1].")
    String psi = "1,0.9,0.7,0.5,0.3";

    @Option(names = "--threshold", description = "Also redraw latent components beyond this magnitude (0: none).")
    double threshold = 0;

    @Option(names = "--data", description = "Dataset of the real images and the default feature network.")
    String data = "fashion-mnist";

    @Option(names = "--n", description = "Samples per psi (and real images).")
    int n = 2000;

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
        float[] f = Cli.parseFloats("--psi", psi);
        double[] psis = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            psis[i] = Double.parseDouble(Float.toString(f[i])); // 0.9, not 0.8999999761581421
        }
        TruncationJob job = new TruncationJob(gan.model, psis, threshold, n, prdc.k, space.batch, common.seed);
        DataSource source = DataSource.locate(data);
        RunDirectory dir = common.startRun(output.out, source.describe(), Map.of("psi", psis));
        try (FeatureNetwork net = space.open(source)) {
            Map<String, Object> m = job.execute(dir, net, source.test());
            System.out.println(Json.line(m));
        }
        return 0;
    }
}
