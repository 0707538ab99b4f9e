package foil.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.core.Linear;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import org.junit.jupiter.api.Test;

class AdamOptimizerTest {

    @Test
    void oneStepIsAdamsFormula() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = Linear.builder().setUnits(2).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            ParameterStore ps = new ParameterStore(m, false);
            float lr = 0.01f;
            float b1 = 0.5f;
            float b2 = 0.9f;
            AdamOptimizer opt = new AdamOptimizer(lin, m, lr, b1, b2);
            NDArray x = m.create(new float[] {1f, -2f, 0.5f, 3f, 0f, -1f}, new Shape(2, 3));
            NDArray w = lin.getParameters().get("weight").getArray();
            float[] w0 = w.toFloatArray();
            float[] mom = new float[w0.length];
            float[] var = new float[w0.length];
            float[] expected = w0.clone();
            for (int t = 1; t <= 3; t++) {
                float[] g;
                try (NDManager s = m.newSubManager()) {
                    NDArray in = x.duplicate();
                    in.attach(s);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(lin.forward(ps, new NDList(in), true).singletonOrThrow().square().sum());
                    }
                    g = w.getGradient().toFloatArray();
                    float scale = t == 3 ? 0.5f : 1f; // a schedule's factor
                    opt.step(scale);
                    for (int i = 0; i < g.length; i++) {
                        mom[i] = b1 * mom[i] + (1 - b1) * g[i];
                        var[i] = b2 * var[i] + (1 - b2) * g[i] * g[i];
                        double mh = mom[i] / (1 - Math.pow(b1, t));
                        double vh = var[i] / (1 - Math.pow(b2, t));
                        expected[i] -= (float) (lr * scale * mh / (Math.sqrt(vh) + 1e-8));
                    }
                }
                float[] now = w.toFloatArray();
                for (int i = 0; i < now.length; i++) {
                    assertEquals(expected[i], now[i], 1e-5f, "step " + t + ", weight " + i);
                }
            }
        }
    }

    @Test
    void solvesLeastSquaresAndZeroesGradientsAndRoundTripsItsState() throws Exception {
        Engine.getInstance().setRandomSeed(1);
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = Linear.builder().setUnits(3).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(1, 4));
            ParameterStore ps = new ParameterStore(m, false);
            AdamOptimizer opt = new AdamOptimizer(lin, m, 0.02f, 0.9f, 0.999f);
            NDArray x = m.randomNormal(new Shape(64, 4));
            NDArray y = x.matMul(m.randomNormal(new Shape(4, 3))).add(0.5f);
            float first = 0;
            float last = 0;
            for (int i = 0; i < 600; i++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray in = x.duplicate();
                    in.attach(s);
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = lin.forward(ps, new NDList(in), true).singletonOrThrow().sub(y).square().mean();
                        last = loss.getFloat();
                        first = i == 0 ? last : first;
                        gc.backward(loss);
                    }
                    opt.step();
                }
                NDArray w = lin.getParameters().get("weight").getArray();
                try (NDArray g = w.getGradient()) {
                    assertEquals(0f, g.abs().max().getFloat(), "gradients are zeroed after each update");
                }
            }
            assertTrue(last < 1e-3 * first, "least squares solved: " + first + " -> " + last);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            opt.save(new DataOutputStream(bytes));
            AdamOptimizer again = new AdamOptimizer(lin, m, 0.02f, 0.9f, 0.999f);
            again.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
            assertEquals(opt.steps(), again.steps());
            ByteArrayOutputStream twice = new ByteArrayOutputStream();
            again.save(new DataOutputStream(twice));
            assertEquals(java.util.Arrays.toString(bytes.toByteArray()), java.util.Arrays.toString(twice.toByteArray()));
        }
    }

    @Test
    void aStepWithNonFiniteOrOverflowingGradientsIsSkippedAndResetForgetsTheMoments() {
        try (NDManager m = NDManager.newBaseManager()) {
            Linear lin = Linear.builder().setUnits(2).build();
            lin.initialize(m, DataType.FLOAT32, new Shape(1, 3));
            ParameterStore ps = new ParameterStore(m, false);
            AdamOptimizer opt = new AdamOptimizer(lin, m, 0.01f, 0.5f, 0.9f);
            NDArray w = lin.getParameters().get("weight").getArray();
            for (float factor : new float[] {Float.NaN, 1e20f, 1f}) {
                float[] before = w.toFloatArray();
                int steps = opt.steps();
                try (NDManager s = m.newSubManager()) {
                    NDArray in = s.create(new float[] {1f, -2f, 0.5f}, new Shape(1, 3));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        gc.backward(lin.forward(ps, new NDList(in), true).singletonOrThrow().sum().mul(factor));
                    }
                    boolean applied = opt.stepIfFinite(1f);
                    assertEquals(factor == 1f, applied, "factor " + factor);
                }
                float[] after = w.toFloatArray();
                for (int i = 0; i < after.length; i++) {
                    assertTrue(Float.isFinite(after[i]));
                    if (factor != 1f) {
                        assertEquals(before[i], after[i], 0f, "a skipped step moves nothing");
                    }
                }
                assertEquals(factor == 1f ? steps + 1 : steps, opt.steps());
                assertEquals(0f, w.getGradient().abs().sum().getFloat(), 0f, "gradients zeroed either way");
            }
            opt.reset();
            assertEquals(0, opt.steps());
        }
    }
}
