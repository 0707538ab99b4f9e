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
}
