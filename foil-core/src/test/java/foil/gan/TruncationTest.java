package foil.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import org.junit.jupiter.api.Test;

/** Truncated latents: ψ pulls every latent towards the mean (0) by the same factor; the threshold bounds them. */
class TruncationTest {
    @Test
    void psiScalesTheSameBaseLatentsAndTheThresholdBoundsThem() {
        float[] base = Truncation.NONE.latents(200, 8, 7);
        float[] half = new Truncation(0.5, 0).latents(200, 8, 7);
        for (int i = 0; i < base.length; i++) {
            assertEquals(0.5f * base[i], half[i], 1e-6f);
        }
        double max = 0;
        for (float v : base) {
            max = Math.max(max, Math.abs(v));
        }
        assertTrue(max > 2.5, "1600 standard normal draws reach beyond 2.5: " + max);
        for (float v : new Truncation(1, 1.0).latents(200, 8, 7)) {
            assertTrue(Math.abs(v) <= 1.0, "threshold 1: " + v);
        }
        java.util.Random r = new java.util.Random(7); // what GanNetworks.sample(n, seed) draws
        float[] plain = new float[base.length];
        for (int i = 0; i < plain.length; i++) {
            plain[i] = (float) r.nextGaussian();
        }
        assertArrayEquals(plain, base, 0f, "no truncation is the generator's own noise");
        assertThrows(FoilException.class, () -> new Truncation(1.2, 0));
        assertThrows(FoilException.class, () -> new Truncation(-0.1, 0));
    }
}
