package foil.attack;

import foil.data.ImageDataset;
import foil.model.Classifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleFunction;

/** Accuracy against epsilon: one attack per budget, over the same examples. */
public final class Sweep {
    private Sweep() {}

    /** One budget's outcome. */
    public record Point(float eps, double robustAccuracy, double successRate, double meanLinf, double meanL2,
            double imagesPerSecond) {}

    /** The whole curve and the clean accuracy it starts from. */
    public record Curve(String method, String norm, double cleanAccuracy, int n, List<Point> points) {
        public Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("norm", norm);
            m.put("n", n);
            m.put("clean_accuracy", cleanAccuracy);
            m.put("counting", AttackRun.COUNTING);
            List<Map<String, Object>> pts = new ArrayList<>();
            for (Point p : points) {
                Map<String, Object> row = new LinkedHashMap<>();
                row.put("eps", p.eps());
                row.put("robust_accuracy", p.robustAccuracy());
                row.put("attack_success_rate", p.successRate());
                row.put("mean_linf", p.meanLinf());
                row.put("mean_l2", p.meanL2());
                row.put("images_per_second", p.imagesPerSecond());
                pts.add(row);
            }
            m.put("points", pts);
            return m;
        }

        public String csv() {
            StringBuilder sb = new StringBuilder("eps,robust_accuracy,attack_success_rate,mean_linf,mean_l2\n");
            for (Point p : points) {
                sb.append(p.eps()).append(',').append(p.robustAccuracy()).append(',').append(p.successRate())
                        .append(',').append(p.meanLinf()).append(',').append(p.meanL2()).append('\n');
            }
            return sb.toString();
        }
    }

    /** Runs {@code attackFor(eps)} for each budget over {@code data}, untargeted. */
    public static Curve run(DoubleFunction<Attack> attackFor, float[] epsilons, Classifier classifier,
            ImageDataset data, int batch, long seed) {
        List<Point> points = new ArrayList<>();
        double clean = Double.NaN;
        String method = "";
        String norm = "";
        for (float eps : epsilons) {
            Attack attack = attackFor.apply(eps);
            method = attack.method();
            norm = attack.norm().cliName;
            AttackRun.Outcome o = AttackRun.run(attack, classifier, data, Targeting.untargeted(), batch, seed, false);
            clean = o.cleanAccuracy();
            Map<String, Object> m = o.metrics();
            points.add(new Point(eps, o.robustAccuracy(), o.successRate(), (double) m.get("mean_linf"),
                    (double) m.get("mean_l2"), (double) m.get("images_per_second")));
        }
        return new Curve(method, norm, clean, data.size(), points);
    }
}
