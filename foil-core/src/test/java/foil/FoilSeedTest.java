package foil;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class FoilSeedTest {
    private static float[] draw() {
        try (NDManager m = NDManager.newBaseManager()) {
            return m.randomNormal(new Shape(8)).toFloatArray();
        }
    }

    @Test
    void seedsAboveBit31StillDifferAndSmallSeedsAreUnchanged() {
        Engine.getInstance().setRandomSeed(5);
        float[] plain = draw();
        Foil.seed(5L);
        assertArrayEquals(plain, draw(), "a seed below 2^32 seeds the engine as before");
        Foil.seed(5L + (1L << 32));
        assertFalse(Arrays.equals(plain, draw()), "5 and 5 + 2^32 are different seeds");
    }
}
