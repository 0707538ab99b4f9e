package foil.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class InputGradientTest {
    @Test
    void gradientOfASumOfSquaresIsTwiceTheInputAndBelongsToItsManager() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, -2f, 0.5f, 3f});
            int before = m.getManagedArrays().size();
            NDArray g = InputGradient.of(x, in -> in.square().sum());
            assertArrayEquals(new float[] {2f, -4f, 1f, 6f}, g.toFloatArray(), 1e-6f);
            assertFalse(x.hasGradient(), "the input itself takes no gradient");
            assertEquals(m, g.getManager());
            g.close();
            assertEquals(before, m.getManagedArrays().size(), "nothing left behind but what the caller holds");
        }
    }
}
