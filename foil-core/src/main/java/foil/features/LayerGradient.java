package foil.features;

import ai.djl.ndarray.NDArray;
import foil.model.FoilModel;
import foil.nn.InputGradient;
import java.util.function.Function;

/**
 * The gradient, with respect to the input batch, of a scalar built from one layer's activations (B×D), in
 * inference mode; the weights take none. The gradient belongs to the manager of {@code x}.
 */
public final class LayerGradient {
    private LayerGradient() {}

    public static NDArray of(FoilModel model, NDArray x, String layer, Function<NDArray, NDArray> objective) {
        return InputGradient.of(x, in -> objective.apply(model.activations(in, layer)));
    }
}
