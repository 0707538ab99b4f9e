package foil.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A model Foil cannot pad is run with oneDNN and without before use on the padded route: one that agrees keeps
 * the route, one whose numbers differ (a stand-in for a module oneDNN computes wrong) sends the process to im2col,
 * and the status that run.json reads says so.
 */
class ModelRouteCheckTest {
    private static final Shape IMAGE = new Shape(1, 6, 6);

    /** A small nonlinear model of the image: tanh of a fixed linear map, 3 logits. */
    private static NDArray model(NDArray x) {
        NDArray flat = x.reshape(x.getShape().get(0), -1);
        NDArray w = flat.getManager().arange(36 * 3).reshape(36, 3).div(100f).sin();
        return flat.matMul(w).tanh();
    }

    @AfterEach
    void restoreTheGuardsRoute() {
        Numerics.reapply();
    }

    @Test
    void aModelThatAgreesBothWaysPasses() {
        Numerics.ensure();
        assertNull(ModelRouteCheck.compare(IMAGE, ModelRouteCheckTest::model));
    }

    @Test
    void aModelWrongWithOneDnnIsCaughtAndTheProcessFallsBackToIm2col() {
        Numerics.ensure();
        Function<NDArray, NDArray> wrong = x -> Backends.oneDnn() ? model(x).mul(1.2f) : model(x);
        String why = ModelRouteCheck.compare(IMAGE, wrong);
        assertNotNull(why);
        assertTrue(why.startsWith("logits at 1 thread off by"), why);

        Route.set(Route.ONEDNN_PADDED);
        ModelRouteCheck.ensure("a stand-in module", IMAGE, wrong);
        assertEquals(Route.IM2COL, Route.current());
        assertEquals("im2col", Numerics.status().route());
        assertTrue(Numerics.status().message().contains("the convolutions of a stand-in module"),
                Numerics.status().message());
    }

    @Test
    void aConvolutionalModelGivesTheSameNumbersOnChannelsLastInputs() {
        Numerics.ensure();
        try (ai.djl.ndarray.NDManager m = ai.djl.ndarray.NDManager.newBaseManager()) {
            NDArray w1 = m.randomNormal(new ai.djl.ndarray.types.Shape(16, 3, 3, 3));
            NDArray w2 = m.randomNormal(new ai.djl.ndarray.types.Shape(32, 16, 3, 3));
            Function<NDArray, NDArray> cnn = x -> {
                NDArray h = ai.djl.nn.Activation.relu(foil.nn.Convolution.conv2d(x, w1, null, 1));
                h = ai.djl.nn.pooling.Pool.maxPool2d(h, new ai.djl.ndarray.types.Shape(2, 2),
                        new ai.djl.ndarray.types.Shape(2, 2), new ai.djl.ndarray.types.Shape(0, 0), false);
                return foil.nn.Convolution.conv2d(h, w2, null, 2, 1).reshape(x.getShape().get(0), -1);
            };
            assertNull(ModelRouteCheck.channelsLast(new ai.djl.ndarray.types.Shape(3, 12, 12), cnn));
        }
    }
}
