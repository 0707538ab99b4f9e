package foil.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class GanLandscapeTest {
    private final GanLandscape land = new GanLandscape(3);

    @Test
    void equilibriumIsASaddleWithValueMinusLogFour() {
        double v = land.value(0, 3);
        assertEquals(-Math.log(4), v, 1e-9);
        // the discriminator can only lose by moving off phi1 = 0 when theta = mu ...
        assertTrue(land.value(0.5, 3) < v && land.value(-0.5, 3) < v);
        // ... while off the equilibrium the discriminator gains (the value rises) with the right slope,
        // which the generator then removes by moving theta: a maximum in one direction, a minimum across it
        assertTrue(land.value(0.5, 1) > v && land.value(-0.5, 5) > v);
    }

    @Test
    void alternatingStepsCircleTheEquilibrium() {
        List<GanLandscape.Point> path = land.path(0, 1, 0.5, 200);
        int turns = 0;
        for (int i = 1; i < path.size(); i++) {
            if (Math.signum(path.get(i).phi1()) != Math.signum(path.get(i - 1).phi1())) {
                turns++;
            }
        }
        assertTrue(turns >= 3, "the path winds around the saddle: " + turns + " sign changes of phi1");
        assertTrue(path.stream().anyMatch(p -> p.theta() > 3), "theta overshoots mu");
    }
}
