package foil.cli;

import foil.data.DataSource;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.metrics.FeatureNetwork;
import foil.run.ProvenanceJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil gan provenance}: did an image come from G? Scored by G's reconstruction error. */
@Command(name = "provenance", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Tells G's own samples from real held-out images and from other generators' samples by "
                + "inverting G: an image's score is its best reconstruction error over the restarts.",
            "Writes roc.png (one ROC curve per kind of negative), hardest.png, errors.json and metrics.json "
                    + "(auc_vs_real, auc_vs_other, tpr_at_fpr_0.01, tpr_at_fpr_0.05, and the rates at a threshold "
                    + "fixed on a separate half of every set)."})
final class GanProvenanceCommand implements Callable<Integer> {
    @Mixin
    GanModelOption gan;

    @Option(names = "--real", description = "Dataset whose test split gives the real negatives; 'none' for none.")
    String real = "fashion-mnist";

    @Option(names = "--other", split = ",", description = "Other GAN run directories whose samples are negatives.")
    List<Path> others = new ArrayList<>();

    @Option(names = "--n", description = "Images of each kind (G's samples, real, each other generator).")
    int n = 200;

    @Option(names = "--fpr", description = "False-positive rate the threshold is fixed at.")
    double fpr = 0.05;

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
        ProvenanceJob job = new ProvenanceJob(gan.model, others, n, inversion.inversion(), fpr, space.batch,
                common.seed);
        DataSource source = real.equals("none") ? null : DataSource.locate(real);
        RunDirectory dir = common.startRun(output.out, source == null ? Map.of() : source.describe());
        try (FeatureNetwork net = inversion.featureWeight > 0 ? space.open(source) : null) {
            System.out.println(Json.line(job.execute(dir, source == null ? null : source.test(), net)));
        }
        return 0;
    }
}
