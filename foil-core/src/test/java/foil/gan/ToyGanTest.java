package foil.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ToyGanTest {

    @Test
    void thetaReachesTheDataMeanAndTheDiscriminatorChance() {
        for (ToyGan.GeneratorLoss loss : ToyGan.GeneratorLoss.values()) {
            ToyGan.Result r = ToyGan.train(ToyGan.Options.lecture(3.0, loss, 1), 100);
            assertTrue(r.converged(), loss + " did not converge: " + r.last());
            assertEquals(3.0, r.last().theta(), 0.05, loss + " theta");
            assertTrue(r.dMaxDeviation() <= 0.05, loss + " D deviation " + r.dMaxDeviation());
        }
    }

    @Test
    void optimalDiscriminatorIsTheDensityRatio() {
        assertEquals(0.5, ToyGan.optimalDiscriminator(1.5, 3, 0), 1e-12, "halfway between the means");
        assertTrue(ToyGan.optimalDiscriminator(3, 3, 0) > 0.9);
        assertEquals(0.5, ToyGan.optimalDiscriminator(-7, 2, 2), 1e-12, "equal densities give chance");
    }

    @Test
    void minimaxSaturatesWhereTheNonSaturatingLossKeepsPulling() {
        // far from the data the discriminator rejects fakes confidently: log(1 - D) is flat there
        double[] moved = new double[2];
        for (ToyGan.GeneratorLoss loss : ToyGan.GeneratorLoss.values()) {
            ToyGan.Options o = new ToyGan.Options(8, 0, 30, 20, 1, 0.5, 0.05, 256, loss, 0.05, 4);
            ToyGan.Result r = ToyGan.train(o, 1);
            assertTrue(r.last().theta() > 0, loss + " moves theta toward the data");
            moved[loss.ordinal()] = r.last().theta();
        }
        assertTrue(moved[1] > 2 * moved[0], "non-saturating " + moved[1] + " vs minimax " + moved[0]);
    }
}
