package foil.features;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.training.GradientCollector;
import foil.model.FoilModel;
import java.util.function.Function;

/**
 * The gradient, with respect to the input batch, of a scalar built from one layer's activations (B×D), in
 * inference mode; the weights take none. The gradient belongs to the manager of {@code x}.
 */
public final class LayerGradient {
    private LayerGradient() {}

    public static NDArray of(FoilModel model, NDArray x, String layer, Function<NDArray, NDArray> objective) {
        NDArray in = x.duplicate();
        in.setRequiresGradient(true);
        try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
            gc.backward(objective.apply(model.activations(in, layer)));
        }
        NDArray g = in.getGradient();
        in.close();
        return g;
    }
}
