package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The ROC curve's area is the Mann-Whitney statistic, and its rates are those of brute-force thresholds. */
class RocTest {
    private static double[] scores(Random r, int n, double shift) {
        double[] s = new double[n];
        for (int i = 0; i < n; i++) {
            s[i] = Math.round((r.nextGaussian() + shift) * 4) / 4.0; // coarse: many ties
        }
        return s;
    }

    @Test
    void areaAndRatesMatchBruteForce() {
        Random r = new Random(1);
        for (int trial = 0; trial < 20; trial++) {
            double[] pos = scores(r, 10 + r.nextInt(40), r.nextDouble() * 2);
            double[] neg = scores(r, 10 + r.nextInt(40), 0);
            Roc roc = new Roc(pos, neg);
            double wins = 0;
            for (double p : pos) {
                for (double q : neg) {
                    wins += p > q ? 1 : p == q ? 0.5 : 0;
                }
            }
            assertEquals(wins / (pos.length * (double) neg.length), roc.auc(), 1e-12);
            for (double maxFpr : new double[] {0, 0.01, 0.05, 0.2, 0.5, 1}) {
                double best = 0;
                for (double t : java.util.stream.DoubleStream.concat(java.util.Arrays.stream(pos),
                        java.util.Arrays.stream(neg)).toArray()) {
                    if (Roc.rateAtLeast(neg, t) <= maxFpr) {
                        best = Math.max(best, Roc.rateAtLeast(pos, t));
                    }
                }
                assertEquals(best, roc.tprAtFpr(maxFpr), 1e-12, "tpr at fpr " + maxFpr);
                double t = roc.thresholdAtFpr(maxFpr);
                assertTrue(Roc.rateAtLeast(neg, t) <= maxFpr + 1e-12, "the threshold keeps the false positives");
                assertEquals(roc.tprAtFpr(maxFpr), Roc.rateAtLeast(pos, t), 1e-12, "and gives the best rate");
            }
        }
    }

    @Test
    void separableScoresGiveOneAndEqualScoresAHalf() {
        assertEquals(1.0, new Roc(new double[] {3, 4, 5}, new double[] {0, 1, 2}).auc(), 1e-12);
        assertEquals(0.0, new Roc(new double[] {0, 1}, new double[] {2, 3}).auc(), 1e-12);
        assertEquals(0.5, new Roc(new double[] {1, 1, 1}, new double[] {1, 1}).auc(), 1e-12);
        assertEquals(1.0, new Roc(new double[] {3, 4, 5}, new double[] {0, 1, 2}).tprAtFpr(0), 1e-12);
        assertThrows(FoilException.class, () -> new Roc(new double[0], new double[] {1}));
        assertThrows(FoilException.class, () -> new Roc(new double[] {Double.NaN}, new double[] {1}));
    }
}
