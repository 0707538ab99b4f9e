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
        assertThrows(FoilException.class, () -> new GanBench("resnet", new WassersteinGpLoss(0.1f), 16, 3, 8, 0));
        assertThrows(FoilException.class, () -> new GanBench("mlp", new WassersteinGpLoss(0.1f), 0, 3, 8, 0));
    }
}
