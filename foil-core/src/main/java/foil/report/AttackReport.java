package foil.report;

import foil.io.Npz;
import foil.io.RunDirectory;
import foil.FoilException;
import foil.attack.AttackRun;
import foil.metrics.MinimalPerturbations;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Writes an attack's results into its run directory: metrics, the Szegedy figure, and examples. */
public final class AttackReport {
    public static final String FIGURE = "adversarial_examples.png";
    public static final String EXAMPLES = "examples.npz";
    public static final String MINIMAL_FIGURE = "minimal_perturbations.png";

    private AttackReport() {}

    /**
     * Writes metrics.json (with {@code extra} entries) and the figure; {@code examples.npz} if asked. For a
     * {@code minimal}-perturbation attack, also the distribution of its distortions and the accuracy it
     * implies at each eps (see {@link MinimalPerturbations}), in metrics.json and as a figure.
     */
    public static Map<String, Object> write(RunDirectory dir, AttackRun.Outcome o, String[] classNames,
            int channels, int height, int width, int figureRows, boolean saveExamples, boolean minimal,
            Map<String, Object> extra) {
        Map<String, Object> metrics = o.metrics();
        if (minimal) {
            MinimalPerturbations mp = minimalPerturbations(o);
            metrics.putAll(mp.metrics());
            writeMinimalFigure(dir.resolve(MINIMAL_FIGURE), o.method(), mp);
        }
        metrics.putAll(extra);
        dir.writeMetrics(metrics);
        if (o.images() != null && o.n() > 0) {
            String title = o.method().toUpperCase() + " (" + o.norm() + (o.eps() > 0 ? ", eps " + o.eps() : "")
                    + ", " + o.goal() + "): success " + pct(o.successRate()) + " of the correctly classified, mean RMS "
                    + String.format("%.4f", (double) metrics.get("mean_rms"));
            AdversarialFigure.write(dir.resolve(FIGURE), title, rows(o, classNames, figureRows, channels * height * width),
                    channels, height, width, 2);
            if (saveExamples) {
                long[] shape = {o.n(), channels, height, width};
                try {
                    new Npz().addFloat32("x", o.images(), shape).addFloat32("x_adv", o.adversarial(), shape)
                            .addInt64("y", o.labels(), o.n()).addInt64("pred_adv", o.adversarialPredictions(), o.n())
                            .write(dir.resolve(EXAMPLES));
                } catch (IOException e) {
                    throw new FoilException("cannot write " + dir.resolve(EXAMPLES) + ": " + e.getMessage());
                }
            }
        }
        return metrics;
    }

    static MinimalPerturbations minimalPerturbations(AttackRun.Outcome o) {
        boolean[] correct = new boolean[o.n()];
        for (int i = 0; i < o.n(); i++) {
            correct[i] = o.cleanPredictions()[i] == o.labels()[i];
        }
        return MinimalPerturbations.of(o.norm(), correct, o.success(), o.l2(), o.linf());
    }

    /** The histogram of the smallest perturbations in the attack's norm, beside the accuracy it implies. */
    static void writeMinimalFigure(java.nio.file.Path path, String method, MinimalPerturbations mp) {
        boolean l2 = mp.norm().equals("l2");
        MinimalPerturbations.Histogram h = l2 ? mp.l2() : mp.linf();
        String norm = l2 ? "L2" : "L-inf";
        double median = l2 ? mp.medianL2() : mp.medianLinf();
        Charts.Frame frame = new Charts.Frame(method.toUpperCase() + ": smallest " + norm + " perturbation, "
                + mp.measured() + " images, median " + String.format("%.3f", median), norm + " norm", "images",
                null, null, 560, 420);
        Charts.Frame curve = new Charts.Frame("Accuracy " + method.toUpperCase() + " implies", norm + " eps",
                "accuracy", 0.0, 1.0, 560, 420);
        java.awt.image.BufferedImage left = Charts.histogram(frame, norm, h.edges(), h.counts());
        java.awt.image.BufferedImage right = Charts.render(curve,
                List.of(new Charts.Series("robust accuracy", mp.eps(), mp.accuracy())));
        Png.write(Charts.tile(List.of(left, right), 2), path);
    }

    static String pct(double v) {
        return String.format("%.1f%%", 100 * v);
    }

    static List<AdversarialFigure.Row> rows(AttackRun.Outcome o, String[] names, int count, int per) {
        List<AdversarialFigure.Row> rows = new ArrayList<>();
        for (int i = 0; i < Math.min(count, o.n()); i++) {
            float[] x = java.util.Arrays.copyOfRange(o.images(), i * per, (i + 1) * per);
            float[] a = java.util.Arrays.copyOfRange(o.adversarial(), i * per, (i + 1) * per);
            rows.add(new AdversarialFigure.Row(x, a, name(names, o.labels()[i]), name(names, o.cleanPredictions()[i]),
                    name(names, o.adversarialPredictions()[i]), o.targets() == null ? null : name(names, o.targets()[i])));
        }
        return rows;
    }

    static String name(String[] names, int k) {
        return names != null && k >= 0 && k < names.length ? names[k] : Integer.toString(k);
    }
}
