package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.function.Function;

/**
 * The gradient of a scalar with respect to an input batch: the scalar is built by {@code objective} from a
 * differentiable copy of {@code x} in a scope of its own, backpropagated once, and the scope closed with the
 * copy and what was computed from it. The gradient belongs to the manager of {@code x}; whatever takes gradients inside the objective (a model's weights, unless frozen or in
 * inference mode) takes them as usual.
 */
public final class InputGradient {
    private InputGradient() {}

    public static NDArray of(NDArray x, Function<NDArray, NDArray> objective) {
        try (NDManager scope = x.getManager().newSubManager()) {
            NDArray in = x.duplicate();
            in.attach(scope); // the objective's intermediates made from it die with the scope
            in.setRequiresGradient(true);
            try (GradientScope gc = GradientScope.open()) {
                gc.backward(objective.apply(in));
            }
            NDArray g = in.getGradient();
            g.attach(x.getManager());
            return g;
        }
    }
}
