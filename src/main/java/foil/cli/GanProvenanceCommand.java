package foil.cli;

import foil.data.DataSource;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.metrics.FeatureNetwork;
import foil.run.ProvenanceJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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
    @Option(names = "--model", required = true, description = "The GAN run directory G (from 'foil gan train').")
    Path model;

    @Option(names = "--real", description = "Dataset whose test split gives the real negatives; 'none' for none.")
    String real = "fashion-mnist";

    @Option(names = "--other", split = ",", description = "Other GAN run directories whose samples are negatives.")
    List<Path> others = new ArrayList<>();

    @Option(names = "--n", description = "Images of each kind (G's samples, real, each other generator).")
    int n = 200;

    @Option(names = "--fpr", description = "False-positive rate the threshold is fixed at.")
    double fpr = 0.05;

    @Option(names = "--out", required = true, description = "Run directory to write.")
    Path out;

    @Mixin
    InversionOptions inversion;

    @Mixin
    FeatureSpaceOptions space;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        ProvenanceJob job = new ProvenanceJob(model, others, n, inversion.inversion(), fpr, space.batch,
                common.seed);
        DataSource source = real.equals("none") ? null : DataSource.locate(real);
        RunDirectory dir = RunDirectory.create(out, common.force);
        Map<String, Object> options = new LinkedHashMap<>();
        options.put("model", model.toString());
        options.put("real", real);
        options.put("other", others.stream().map(Path::toString).toList());
        options.put("n", n);
        options.put("fpr", fpr);
        options.put("inversion", inversion.inversion());
        space.describe(options);
        dir.writeRun("gan provenance", Cli.args(), options, common.seed,
                source == null ? Map.of() : source.describe());
        try (FeatureNetwork net = inversion.featureWeight > 0 ? space.open(source) : null) {
            System.out.println(Json.line(job.execute(dir, source == null ? null : source.test(), net)));
        }
        return 0;
    }
}
