package foil.run;

import foil.data.ImageDataset;
import foil.model.FoilModel;
import foil.probe.Direction;
import foil.probe.Probe;
import foil.probe.Synthesis;
import foil.report.ImageRows;
import foil.report.Png;
import foil.io.RunDirectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Probes one layer of a model along units and random directions: the top images of each as rows of one
 * figure (probe.png), optionally the synthesised input that most excites each direction, and each row's
 * indices, projections, labels and purity in metrics.json.
 */
public record ProbeJob(String layer, List<Integer> units, int randomDirections, int top, Synthesis synthesis,
        long seed, int batch) {
    public static final String FIGURE = "probe.png";
    static final int DEFAULT_UNITS = 4;

    public Map<String, Object> execute(FoilModel model, ImageDataset data, String[] classNames, RunDirectory dir) {
        String name = model.resolveLayer(layer);
        int dims = Probe.units(model, name);
        // with neither units nor random directions asked for, compare the two bases: four of each
        boolean compare = units.isEmpty() && randomDirections == 0;
        List<Integer> chosen = compare ? defaultUnits(model, name, data) : units;
        int randoms = compare ? DEFAULT_UNITS : randomDirections;
        List<Direction> directions = new ArrayList<>();
        for (int k : chosen) {
            directions.add(Direction.unit(k, dims));
        }
        for (int d = 0; d < randoms; d++) {
            directions.add(Direction.random(seed + d, dims));
        }
        List<Probe.Row> rows = Probe.top(model, name, directions, data, top, batch);
        List<ImageRows.Row> figure = new ArrayList<>();
        List<Map<String, Object>> rowMetrics = new ArrayList<>();
        int per = data.imageSize();
        for (Probe.Row row : rows) {
            List<float[]> images = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (int i = 0; i < row.indices().length; i++) {
                int idx = row.indices()[i];
                images.add(Arrays.copyOfRange(data.pixels(), idx * per, (idx + 1) * per));
                captions.add(classNames[row.labels()[i]]);
            }
            Map<String, Object> m = row.metrics();
            float[] extra = null;
            String extraCaption = null;
            if (synthesis != null) {
                Synthesis.Result r = synthesis.run(model, name, row.direction(), seed);
                extra = r.image();
                extraCaption = String.format("%.1f", r.projection());
                m.put("synthesized_projection", r.projection());
                m.put("top_projection", row.projections()[0]);
            }
            rowMetrics.add(m);
            figure.add(new ImageRows.Row(row.direction().name() + "\n" + String.format("purity %.2f, top %.2f",
                    row.purity(), row.projections()[0]), images, captions, extra, extraCaption));
        }
        Png.write(ImageRows.draw("Test images that most excite directions of layer " + name + " (" + dims
                + " units)" + (synthesis != null ? "; framed: synthesised input, its projection below" : ""), figure, data.channels(),
                data.height(), data.width(), 2), dir.resolve(FIGURE));
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("layer", name);
        metrics.put("units_in_layer", dims);
        metrics.put("images_probed", data.size());
        metrics.put("top", top);
        metrics.put("mean_purity_units", meanPurity(rows, true));
        metrics.put("mean_purity_random", meanPurity(rows, false));
        metrics.put("rows", rowMetrics);
        dir.writeMetrics(metrics);
        return metrics;
    }

    /** Four units picked by the seed among those that fire on some image. */
    private List<Integer> defaultUnits(FoilModel model, String name, ImageDataset data) {
        List<Integer> live = new ArrayList<>(Probe.liveUnits(model, name, data.head(1000), batch));
        java.util.Collections.shuffle(live, new java.util.Random(seed));
        return live.subList(0, Math.min(DEFAULT_UNITS, live.size()));
    }

    private static Double meanPurity(List<Probe.Row> rows, boolean unitRows) {
        double s = 0;
        int k = 0;
        for (Probe.Row r : rows) {
            if (r.direction().isUnit() == unitRows) {
                s += r.purity();
                k++;
            }
        }
        return k == 0 ? null : s / k;
    }
}
