package foil.run;

import foil.data.IdxDatasets;
import foil.data.ImageDataset;
import foil.features.NonRobustDataset;
import foil.features.RobustDataset;
import foil.features.Usefulness;
import foil.model.Classifier;
import foil.model.FoilModel;
import foil.report.Charts;
import foil.report.ImageRows;
import foil.report.Png;
import foil.io.RunDirectory;
import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The robust-features runs: feature usefulness (CSV and scatter plot), and the D_R and D_NR datasets
 * (IDX files any --data DIR command can read, plus a figure of examples and metrics.json).
 */
public final class FeaturesJobs {
    public static final String USEFULNESS_CHART = "usefulness.png";
    public static final String EXAMPLES = "examples.png";
    private static final int SHOWN = 8;

    private FeaturesJobs() {}

    /** ρ against γ for every feature of a layer. */
    public static Map<String, Object> usefulness(Usefulness u, FoilModel model, String layer, ImageDataset data,
            int positive, int negative, String[] classNames, int batch, RunDirectory dir) {
        Usefulness.Result r = u.measure(model, layer, data, positive, negative, batch);
        StringBuilder csv = new StringBuilder("feature,orientation,rho,gamma,mean,std\n");
        List<Double> rx = new ArrayList<>();
        List<Double> gy = new ArrayList<>();
        for (int k = 0; k < r.features(); k++) {
            csv.append(k).append(',').append(r.orientation()[k]).append(',').append(r.rho()[k]).append(',')
                    .append(r.gamma()[k]).append(',').append(r.mean()[k]).append(',').append(r.std()[k]).append('\n');
            if (r.std()[k] > 0) {
                rx.add(r.rho()[k]);
                gy.add(r.gamma()[k]);
            }
        }
        dir.writeText("usefulness.csv", csv.toString());
        double[] x = rx.stream().mapToDouble(Double::doubleValue).toArray();
        double[] y = gy.stream().mapToDouble(Double::doubleValue).toArray();
        Png.write(Charts.points(new Charts.Frame(String.format("Features of %s: %s (+1) vs %s (-1), eps %s", layer,
                classNames[positive], classNames[negative], u.eps()), "rho-usefulness E[y f(x)]",
                "gamma-robust usefulness E[min y f(x+d)]", null, null), List.of(
                        new Charts.Series("feature", x, y, Charts.Line.MARKED, new Color(200, 40, 40)),
                        new Charts.Series("gamma = rho (fully robust)", new double[] {0, 1}, new double[] {0, 1},
                                Charts.Line.DASHED, Color.GRAY),
                        new Charts.Series("gamma = 0", new double[] {0, 1}, new double[] {0, 0}, Charts.Line.DASHED,
                                Color.BLACK))), dir.resolve(USEFULNESS_CHART));
        Map<String, Object> m = new LinkedHashMap<>(r.summary());
        m.put("layer", layer);
        m.put("classes", List.of(positive, negative));
        m.put("eps", u.eps());
        m.put("norm", "linf");
        m.put("pgd_steps", u.steps());
        m.put("gamma_attack", "PGD from a random start in the ball, following the pre-activation of a ReLU layer; "
                + "per image the lower of the clean point and PGD's last point");
        m.put("rho", r.rho());
        m.put("gamma", r.gamma());
        dir.writeMetrics(m);
        return m;
    }

    /** D_NR: built, written with the original test set beside it, and drawn. */
    public static Map<String, Object> nonRobust(NonRobustDataset spec, Classifier standard, ImageDataset train,
            ImageDataset test, String[] classNames, long seed, int batch, RunDirectory dir) {
        return writeNonRobust(spec, spec.build(standard, train, seed, batch), train, test, classNames, dir);
    }

    /** D_NR's files from a built result (of the whole of {@code train}): IDX, the figure, metrics.json. */
    public static Map<String, Object> writeNonRobust(NonRobustDataset spec, NonRobustDataset.Result r,
            ImageDataset train, ImageDataset test, String[] classNames, RunDirectory dir) {
        IdxDatasets.write(dir.dir(), r.dataset(), test);
        List<ImageRows.Row> rows = new ArrayList<>();
        rows.add(row("original (label)", train, r.originalLabels(), classNames));
        rows.add(row("non-robust (new label)", r.dataset(), r.dataset().labels(), classNames));
        Png.write(ImageRows.draw("D_NR: targeted L2 PGD (eps " + spec.eps() + ") toward the new label", rows,
                train.channels(), train.height(), train.width(), 3), dir.resolve(EXAMPLES));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", "non-robust (D_NR)");
        m.put("n", r.dataset().size());
        m.put("eps", spec.eps());
        m.put("norm", "l2");
        m.put("steps", spec.steps());
        m.put("step_size", spec.stepSize());
        m.put("targets", spec.targets().cliName);
        m.put("target_rate", r.targetRate());
        m.put("mean_l2", r.meanL2());
        m.put("label_is_target", true);
        dir.writeMetrics(m);
        return m;
    }

    /** D_R: built, written with the original test set beside it, and drawn (original, start, rebuilt). */
    public static Map<String, Object> robust(RobustDataset spec, FoilModel robust, ImageDataset train,
            ImageDataset test, String[] classNames, long seed, int batch, RunDirectory dir) {
        return writeRobust(spec, robust.resolveLayer(spec.layer()), spec.build(robust, train, seed, batch), train,
                test, classNames, dir);
    }

    /**
     * D_R's files from a built result (of the whole of {@code train}, matching {@code layer}): IDX, the figure,
     * metrics.json.
     */
    public static Map<String, Object> writeRobust(RobustDataset spec, String layer, RobustDataset.Result r,
            ImageDataset train, ImageDataset test, String[] classNames, RunDirectory dir) {
        IdxDatasets.write(dir.dir(), r.dataset(), test);
        int per = train.imageSize();
        float[] startPixels = new float[Math.min(SHOWN, train.size()) * per];
        int[] startLabels = new int[Math.min(SHOWN, train.size())];
        for (int i = 0; i < startLabels.length; i++) {
            System.arraycopy(train.pixels(), r.starts()[i] * per, startPixels, i * per, per);
            startLabels[i] = train.labels()[r.starts()[i]];
        }
        ImageDataset starts = new ImageDataset("starts", startPixels, startLabels, train.channels(), train.height(),
                train.width(), train.numClasses());
        List<ImageRows.Row> rows = new ArrayList<>();
        rows.add(row("original (label)", train, train.labels(), classNames));
        rows.add(row("start image", starts, startLabels, classNames));
        rows.add(row("robustified (label kept)", r.dataset(), r.dataset().labels(), classNames));
        Png.write(ImageRows.draw("D_R: rebuilt from another image to match the robust model's " + spec.layer()
                + " representation", rows, train.channels(), train.height(), train.width(), 3), dir.resolve(EXAMPLES));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("dataset", "robustified (D_R)");
        m.put("n", r.dataset().size());
        m.put("layer", layer);
        m.put("steps", spec.steps());
        m.put("step_size", spec.stepSize());
        m.put("mean_relative_distance", r.meanRelativeDistance());
        m.put("mean_relative_distance_at_start", r.meanStartDistance());
        m.put("max_relative_distance", r.maxRelativeDistance());
        m.put("relative_distance", "|g(x_r) - g(x)| / |g(x)|");
        dir.writeMetrics(m);
        return m;
    }

    private static ImageRows.Row row(String caption, ImageDataset d, int[] labels, String[] classNames) {
        int per = d.imageSize();
        List<float[]> images = new ArrayList<>();
        List<String> captions = new ArrayList<>();
        for (int i = 0; i < Math.min(SHOWN, d.size()); i++) {
            images.add(Arrays.copyOfRange(d.pixels(), i * per, (i + 1) * per));
            captions.add(classNames[labels[i]]);
        }
        return new ImageRows.Row(caption, images, captions, null, null);
    }

}
