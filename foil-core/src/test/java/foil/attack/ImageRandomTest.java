package foil.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.jupiter.api.Test;

class ImageRandomTest {

    @Test
    void anImagesDrawsDependOnItsSeedAndIndexOnly() {
        try (NDManager m = NDManager.newBaseManager()) {
            Shape per = new Shape(1, 3, 3);
            float[] alone = ImageRandom.of(7, new int[] {42}).normal(m, per).toFloatArray();
            float[] inBatch = ImageRandom.of(7, new int[] {3, 42, 9}).normal(m, per).toFloatArray();
            assertArrayEquals(alone, java.util.Arrays.copyOfRange(inBatch, 9, 18));
            float[] otherSeed = ImageRandom.of(8, new int[] {42}).normal(m, per).toFloatArray();
            assertTrue(alone[0] != otherSeed[0]);
            // a selection continues the streams of the images it keeps
            ImageRandom r = ImageRandom.of(7, new int[] {3, 42});
            r.uniform();
            float second = r.select(new int[] {1}).uniform()[0];
            ImageRandom s = ImageRandom.of(7, new int[] {42});
            s.uniform();
            assertEquals(s.uniform()[0], second);
        }
    }

    @Test
    void l2StartIsUniformInTheBall() {
        // In d = 2 dimensions a uniform point of the disc lies within half the radius with probability 1/4
        // (a uniform radius would give 1/2).
        int n = 4000;
        float eps = 0.3f;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.zeros(new Shape(n, 1, 1, 2));
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            float[] d = Pgd.randomInBall(Norm.L2, eps, x, ImageRandom.of(1, idx)).toFloatArray();
            int inner = 0;
            for (int i = 0; i < n; i++) {
                double r = Math.hypot(d[2 * i], d[2 * i + 1]);
                assertTrue(r <= eps + 1e-6);
                inner += r < eps / 2 ? 1 : 0;
            }
            assertEquals(0.25, inner / (double) n, 0.03);
            float[] linf = Pgd.randomInBall(Norm.LINF, eps, x, ImageRandom.of(1, idx)).toFloatArray();
            double mean = 0;
            for (float v : linf) {
                assertTrue(Math.abs(v) <= eps);
                mean += Math.abs(v);
            }
            assertEquals(eps / 2, mean / linf.length, 0.01);
        }
    }
}
