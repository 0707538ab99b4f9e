package foil.numerics;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.nn.GradientScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/** Runs an operation on the engine with autograd: its output and the gradients of sum(output * upstream). */
final class Autograd {
    private Autograd() {}

    record Run(float[] out, List<float[]> grads) {}

    static Run run(NDManager m, List<NDArray> inputs, Function<List<NDArray>, NDArray> op, float[] upstream) {
        for (NDArray in : inputs) {
            in.setRequiresGradient(true);
        }
        float[] out;
        try (GradientScope gc = GradientScope.open()) {
            NDArray y = op.apply(inputs);
            out = y.toFloatArray();
            NDArray up = m.create(upstream, y.getShape());
            gc.backward(y.mul(up).sum());
        }
        List<float[]> grads = new ArrayList<>();
        for (NDArray in : inputs) {
            grads.add(in.getGradient().toFloatArray());
        }
        return new Run(out, grads);
    }

    /** Values uniform in [-scale, scale]. */
    static float[] uniform(Random random, int n, double scale) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) ((2 * random.nextDouble() - 1) * scale);
        }
        return v;
    }

    static NDArray array(NDManager m, float[] v, long... shape) {
        return m.create(v, new Shape(shape));
    }
}
