package foil.probe;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.model.FoilModel;
import java.util.Random;

/**
 * The input that most excites a direction of a layer: gradient ascent on ⟨φ(x), v⟩ − λ‖x − 0.5‖² from
 * uniform noise, by normalised steps kept in [0, 1]. The small penalty keeps the image from saturating
 * where the layer does not care. Where the direction reads only silent ReLUs (a zero gradient), the ascent
 * follows their pre-activations until they fire.
 */
public record Synthesis(int steps, float stepSize, float penalty) {

    public Synthesis {
        if (steps < 1 || steps > 100_000 || !(stepSize > 0f) || !(penalty >= 0f)) {
            throw new FoilException("synthesis needs steps in [1, 100000], a positive step size and a non-negative "
                    + "penalty");
        }
    }

    public static Synthesis defaults() {
        return new Synthesis(200, 0.5f, 0.05f);
    }

    /** One image (C×H×W flattened) for each direction, and its final projection. */
    public Result run(FoilModel model, String layer, Direction direction, long seed) {
        Shape image = model.inputShape();
        int n = (int) image.size();
        Random r = new Random(seed);
        float[] start = new float[n];
        for (int i = 0; i < n; i++) {
            start[i] = 0.4f + 0.2f * r.nextFloat();
        }
        String pre = model.preActivation(layer);
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            NDArray v = m.create(direction.vector(), new Shape(direction.vector().length, 1));
            NDArray x = m.create(start, new Shape(1).addAll(image));
            for (int s = 0; s < steps; s++) {
                NDArray previous = x;
                try (NDManager step = m.newSubManager()) {
                    x.tempAttach(step);
                    v.tempAttach(step);
                    NDArray g = projectionGradient(model, layer, x, v);
                    if (pre != null && g.abs().max().getFloat() == 0f) {
                        // the ReLUs this direction reads are all silent here: climb their pre-activations until
                        // they fire
                        g = projectionGradient(model, pre, x, v);
                    }
                    g = g.sub(x.sub(0.5f).mul(2 * penalty)); // the penalty's gradient, -λ‖x − 0.5‖²
                    // a normalised step of stepSize in L2, with a decaying rate for the last steps
                    float rate = stepSize * (1f - 0.9f * s / steps);
                    NDArray next = x.add(g.div(g.norm().maximum(1e-12f)).mul(rate)).clip(0f, 1f);
                    next.attach(m);
                    x = next;
                }
                previous.close();
            }
            float proj;
            try (NDManager end = m.newSubManager()) {
                x.tempAttach(end);
                proj = model.activations(x, layer).matMul(v).getFloat();
            }
            return new Result(x.toFloatArray(), proj);
        }
    }

    /** ∇ₓ⟨φ(x), v⟩ for the named layer, in x's manager. */
    private static NDArray projectionGradient(FoilModel model, String layer, NDArray x, NDArray v) {
        return foil.features.LayerGradient.of(model, x, layer, phi -> phi.matMul(v).sum());
    }

    /** The synthesised image and its projection on the direction. */
    public record Result(float[] image, float projection) {}
}
