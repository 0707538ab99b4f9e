package foil.probe;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.data.ImageDataset;
import foil.model.FoilModel;
import foil.io.Progress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a hidden layer responds to: for each direction v in the layer's space, the images x' of a dataset
 * with the largest projection ⟨φ(x'), v⟩ (Szegedy et al. 2014, section 3). The paper's observation is that
 * random directions pick images as semantically alike as single units do; each row reports the share of
 * its top images that carry its most common label (its purity) so the two bases can be compared.
 */
public final class Probe {
    private Probe() {}

    /** One direction's top images. */
    public record Row(Direction direction, int[] indices, float[] projections, int[] labels) {
        /** The share of the top images whose label is the most common one among them. */
        public double purity() {
            Map<Integer, Integer> counts = new LinkedHashMap<>();
            for (int l : labels) {
                counts.merge(l, 1, Integer::sum);
            }
            int best = counts.values().stream().mapToInt(Integer::intValue).max().orElse(0);
            return labels.length == 0 ? 0 : (double) best / labels.length;
        }

        public Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("direction", direction.name());
            m.put("top_indices", indices);
            m.put("projections", projections);
            m.put("labels", labels);
            m.put("purity", purity());
            return m;
        }
    }

    /** The number of units of {@code layer} (its flattened size). */
    public static int units(FoilModel model, String layer) {
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            NDArray x = m.zeros(new Shape(1).addAll(model.inputShape()));
            return (int) model.activations(x, layer).getShape().get(1);
        }
    }

    /** Units of {@code layer} that fire (activation above 0) on at least one of {@code data}'s images. */
    public static List<Integer> liveUnits(FoilModel model, String layer, ImageDataset data, int batch) {
        float[] max = null;
        try (NDManager root = NDManager.newBaseManager(Foil.device())) {
            for (int from = 0; from < data.size(); from += batch) {
                int to = Math.min(data.size(), from + batch);
                try (NDManager scope = root.newSubManager()) {
                    float[] m = model.activations(data.images(scope, from, to), layer).max(new int[] {0}).toFloatArray();
                    if (max == null) {
                        max = m;
                    } else {
                        for (int i = 0; i < m.length; i++) {
                            max[i] = Math.max(max[i], m[i]);
                        }
                    }
                }
            }
        }
        List<Integer> live = new ArrayList<>();
        for (int i = 0; max != null && i < max.length; i++) {
            if (max[i] > 0f) {
                live.add(i);
            }
        }
        return live;
    }

    /** ⟨φ(x), v⟩ for every image of {@code data} and every direction: [direction][image]. */
    public static float[][] project(FoilModel model, String layer, List<Direction> directions, ImageDataset data,
            int batch) {
        int dims = directions.get(0).vector().length;
        float[] stacked = new float[dims * directions.size()];
        for (int d = 0; d < directions.size(); d++) {
            System.arraycopy(directions.get(d).vector(), 0, stacked, d * dims, dims);
        }
        float[][] out = new float[directions.size()][data.size()];
        try (NDManager root = NDManager.newBaseManager(Foil.device());
                Progress bar = Progress.start("probe " + layer, data.size())) {
            NDArray v = root.create(stacked, new Shape(directions.size(), dims)).transpose();
            for (int from = 0; from < data.size(); from += batch) {
                int to = Math.min(data.size(), from + batch);
                try (NDManager scope = root.newSubManager()) {
                    NDArray phi = model.activations(data.images(scope, from, to), layer);
                    float[] p = phi.matMul(v).toFloatArray(); // (to-from) × directions
                    for (int i = 0; i < to - from; i++) {
                        for (int d = 0; d < directions.size(); d++) {
                            out[d][from + i] = p[i * directions.size() + d];
                        }
                    }
                }
                bar.step(to - from);
            }
        }
        return out;
    }

    /** The {@code k} images with the largest projection on each direction. */
    public static List<Row> top(FoilModel model, String layer, List<Direction> directions, ImageDataset data, int k,
            int batch) {
        float[][] proj = project(model, layer, directions, data, batch);
        List<Row> rows = new ArrayList<>();
        for (int d = 0; d < directions.size(); d++) {
            float[] p = proj[d];
            Integer[] order = new Integer[p.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (a, b) -> Float.compare(p[b], p[a]));
            int n = Math.min(k, p.length);
            int[] idx = new int[n];
            float[] val = new float[n];
            int[] lab = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = order[i];
                val[i] = p[order[i]];
                lab[i] = data.labels()[order[i]];
            }
            rows.add(new Row(directions.get(d), idx, val, lab));
        }
        return rows;
    }
}
