package foil.run;

import foil.attack.Attack;
import foil.attack.Sweep;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.report.Charts;
import foil.io.RunDirectory;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/** Accuracy against epsilon for one attack family: JSON, CSV and a chart. */
public record SweepJob(String label, DoubleFunction<Attack> attackFor, float[] epsilons, int n, int batch,
        long seed) {
    public static final String CHART = "accuracy_vs_eps.png";

    public Sweep.Curve execute(Classifier classifier, ImageDataset data, RunDirectory dir) {
        Sweep.Curve curve = Sweep.run(attackFor, epsilons, classifier, data.head(n), batch, seed);
        Map<String, Object> metrics = curve.metrics();
        metrics.put("model", classifier.describe());
        metrics.put("data", data.name());
        metrics.put("attack", label);
        dir.writeMetrics(metrics);
        dir.writeText("sweep.csv", curve.csv());
        chart(dir.resolve(CHART), label + " on " + classifier.describe(), List.of(curve), List.of(label));
        return curve;
    }

    /** Draws accuracy-against-eps curves on one chart. */
    public static void chart(java.nio.file.Path path, String title, List<Sweep.Curve> curves, List<String> names) {
        List<Charts.Series> series = new ArrayList<>();
        for (int c = 0; c < curves.size(); c++) {
            List<Sweep.Point> pts = curves.get(c).points();
            double[] x = new double[pts.size()];
            double[] y = new double[pts.size()];
            for (int i = 0; i < pts.size(); i++) {
                x[i] = pts.get(i).eps();
                y[i] = pts.get(i).robustAccuracy();
            }
            series.add(new Charts.Series(names.get(c), x, y));
        }
        Charts.lines(path, title, "epsilon (" + curves.get(0).norm() + ")", "accuracy", series, 0.0, 1.0);
    }
}
