package foil.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import foil.gan.WassersteinGpLoss;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GanBenchTest {
    @Test
    void timesTheMlpPairWithThePenaltyAndRejectsUnknownArchitectures() {
        System.setProperty("foil.quiet", "true");
        Map<String, Object> m = new GanBench("mlp", new WassersteinGpLoss(0.1f), 16, 3, 8, 0).execute();
        assertEquals("wgan-gp", m.get("loss"));
        double seconds = (double) m.get("seconds");
        assertEquals(16 * 3 / seconds, (double) m.get("samples_per_second"), 1e-6 * (double) m.get("samples_per_second"));
        assertTrue(seconds > 0 && !m.containsKey("images_per_second"));
        // the convolution route the figures were measured on
        assertEquals(foil.numerics.Route.current().key(), ((foil.numerics.Numerics.Status) m.get("numerics")).route());
        assertThrows(FoilException.class, () -> new GanBench("resnet", new WassersteinGpLoss(0.1f), 16, 3, 8, 0));
        assertThrows(FoilException.class, () -> new GanBench("mlp", new WassersteinGpLoss(0.1f), 0, 3, 8, 0));
        assertThrows(FoilException.class, () -> new GanBench("mlp", new WassersteinGpLoss(0.1f), 16, 3, 8, 0, 1, 0));
    }

    @Test
    void timesProgressiveGrowingAtFullResolutionAndStyleGanWithTheirOwnLosses() {
        System.setProperty("foil.quiet", "true");
        Map<String, Object> p = new GanBench("progressive", GanBench.defaultLoss("progressive"), 8, 2, 8, 0, 2, 3).execute();
        assertEquals("wgan-gp+drift", p.get("loss"));
        assertEquals(32, p.get("resolution")); // every timed iteration at 32x32, α = 1
        assertEquals(1.0, p.get("alpha"));
        assertEquals(2, ((double[]) p.get("steps_per_second_runs")).length);
        assertEquals(3, p.get("warmup"));
        assertTrue((double) p.get("images_per_second") > 0);
        Map<String, Object> s = new GanBench("stylegan", GanBench.defaultLoss("stylegan"), 8, 2, 4, 0, 1, 2).execute();
        assertEquals("nonsaturating+r1", s.get("loss"));
        assertEquals(0.99f, s.get("ema"));
        assertTrue((double) s.get("images_per_second") > 0);
    }
}
