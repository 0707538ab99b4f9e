package foil.cli;

import foil.FoilException;
import foil.attack.Sweep;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.SweepJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "sweep", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Accuracy against epsilon for fgsm or pgd: metrics.json, sweep.csv and a chart.")
final class SweepCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Mixin
    AttackOptions attack;

    @Option(names = "--eps", description = "Comma-separated budgets.")
    String eps = "0,0.025,0.05,0.075,0.1,0.15,0.2,0.3";

    @Option(names = "--n", description = "Attack the first N test images at each budget.")
    int n = 1000;

    @Option(names = "--batch", description = "Batch size.")
    int batch = 256;

    @Option(names = "--compare", split = ",", description = "More models (Foil directories or TorchScript files) swept "
            + "the same way and drawn on the same chart, e.g. a robust model beside a standard one.")
    List<Path> compare;

    @Mixin
    OutputOption output;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        if (!attack.needsEps()) {
            throw new FoilException("sweep takes fgsm or pgd: " + attack.method
                    + " looks for the smallest perturbation, with no budget to sweep (its metrics.json has accuracy_vs_eps)");
        }
        if (n < 1 || batch < 1) {
            throw new FoilException("--n and --batch must be positive");
        }
        float[] budgets = Cli.parseFloats("--eps", eps);
        for (float e : budgets) {
            attack.build(e); // rejects a bad budget before any work
        }
        ModelInput.Opened opened = input.open();
        DataSource source = opened.source();
        ImageDataset test = opened.test();
        try (Classifier c = opened.classifier()) {
            RunDirectory dir = common.startRun(output.out, source.describe(), Map.of("eps", budgets));
            String label = attack.label();
            SweepJob job = new SweepJob(label, e -> attack.build((float) e), budgets, n, batch, common.seed);
            Sweep.Curve curve = job.execute(c, test, dir);
            if (compare != null && !compare.isEmpty()) {
                List<Sweep.Curve> curves = new java.util.ArrayList<>(List.of(curve));
                List<String> names = new java.util.ArrayList<>(List.of(input.model.toString()));
                Map<String, Object> compared = new LinkedHashMap<>();
                for (Path other : compare) {
                    try (Classifier oc = foil.model.Models.load(other, test.imageShape())) {
                        Sweep.Curve oc2 = Sweep.run(e -> attack.build((float) e), budgets, oc, test.head(n), batch,
                                common.seed);
                        curves.add(oc2);
                        names.add(other.toString());
                        compared.put(other.toString(), oc2.metrics());
                    }
                }
                Map<String, Object> metrics = curve.metrics();
                metrics.put("model", c.describe());
                metrics.put("compared", compared);
                dir.writeMetrics(metrics);
                SweepJob.chart(dir.resolve(SweepJob.CHART), label + ": accuracy against epsilon", curves, names);
            }
            System.out.println(Json.line(curve.metrics()));
        }
        return 0;
    }
}
