package foil.model;

import java.util.List;
import java.util.Map;

/**
 * What {@code model.json} records about a Foil model: its architecture, its input, its classes and how it
 * was trained (data, options, seed, results), so it can be traced and trained again.
 */
public record ModelInfo(String format, String architecture, List<Integer> inputShape, int classes,
        List<String> classNames, Map<String, Object> training) {
    public static final String FORMAT = "foil-model-1";
}
