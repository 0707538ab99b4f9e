package foil.metrics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.model.Classifier;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The classes a judge classifier predicts for generated images, so that dropped classes show: the histogram, how
 * many classes get at least 1% of the images, and the entropy of the histogram over log(classes) (1 = uniform).
 */
public final class ClassHistogram {
    private final int[] counts;

    public ClassHistogram(int classes) {
        counts = new int[classes];
    }

    /** Adds the judge's predicted classes of {@code n} images in [0, 1], flattened N×C×H×W. */
    public ClassHistogram add(Classifier judge, float[] images, int n) {
        for (int c : predict(judge, images, n)) {
            counts[c]++;
        }
        return this;
    }

    /** The judge's predicted class of each of {@code n} images in [0, 1], flattened N×C×H×W. */
    public static int[] predict(Classifier judge, float[] images, int n) {
        Shape in = judge.inputShape();
        if ((long) n * in.size() != images.length) {
            throw new FoilException(images.length + " pixel values are not " + n + " images of " + in
                    + ", which the judge " + judge.describe() + " takes");
        }
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            NDArray x = m.create(images, new Shape(n, in.get(0), in.get(1), in.get(2)));
            return judge.predict(x);
        }
    }

    /** The entropy of the predicted classes over log(classes): 1 when uniform, 0 when one class. */
    public double entropy() {
        int total = total();
        double h = 0;
        for (int c : counts) {
            if (c > 0) {
                double p = (double) c / total;
                h -= p * Math.log(p);
            }
        }
        return h / Math.log(counts.length);
    }

    /** For metrics.json: {@code class_histogram}, {@code classes_covered}, {@code class_entropy}, {@code judge}. */
    public Map<String, Object> describe(String judge) {
        int covered = 0;
        for (int c : counts) {
            covered += c >= 0.01 * total() ? 1 : 0;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("class_histogram", counts.clone());
        out.put("classes_covered", covered);
        out.put("class_entropy", entropy());
        out.put("judge", judge);
        return out;
    }

    private int total() {
        int total = 0;
        for (int c : counts) {
            total += c;
        }
        return total;
    }
}
