package foil.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import foil.FoilException;
import org.junit.jupiter.api.Test;

/** Both paths start and end exactly at their latents; lerp is the straight line, slerp the great circle. */
class InterpolationTest {
    private static double norm(float[] z) {
        double s = 0;
        for (float v : z) {
            s += v * v;
        }
        return Math.sqrt(s);
    }

    @Test
    void pathsHaveExactEndpointsAndTheirShapes() {
        float[] z0 = {3, 0, 0, 1};
        float[] z1 = {0, 3, 1, 0};
        for (Interpolation how : Interpolation.values()) {
            assertArrayEquals(z0, how.at(z0, z1, 0), 0f, how.name());
            assertArrayEquals(z1, how.at(z0, z1, 1), 0f, how.name());
        }
        assertArrayEquals(new float[] {1.5f, 1.5f, 0.5f, 0.5f}, Interpolation.LERP.at(z0, z1, 0.5), 1e-6f);
        // equal norms, orthogonal: the great circle keeps the norm and bisects the angle at t = 1/2
        float[] mid = Interpolation.SLERP.at(z0, z1, 0.5);
        assertEquals(norm(z0), norm(mid), 1e-5);
        float[] bisector = {1.5f, 1.5f, 0.5f, 0.5f};
        double s = norm(z0) / norm(bisector);
        for (int i = 0; i < 4; i++) {
            assertEquals(bisector[i] * s, mid[i], 1e-5);
        }
        for (double t : new double[] {0.1, 0.3, 0.7}) {
            assertEquals(norm(z0), norm(Interpolation.SLERP.at(z0, z1, t)), 1e-5, "t = " + t);
        }
        assertThrows(FoilException.class, () -> Interpolation.of("cubic"));
    }
}
