package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The statistics of minimal perturbations, on hand-made results whose answers are worked out by hand. */
class MinimalPerturbationsTest {
    // image 2: attack failed; image 4: misclassified already (a zero perturbation that must not count)
    static final boolean[] CORRECT = {true, true, true, true, false, true};
    static final boolean[] SUCCESS = {true, true, false, true, true, true};
    static final float[] L2 = {0.33f, 0.12f, 9f, 0.71f, 0f, 0.52f};
    static final float[] LINF = {0.04f, 0.011f, 0.5f, 0.09f, 0f, 0.06f};

    @Test
    void mediansAndHistogramsCoverTheCorrectImagesTheAttackFlipped() {
        MinimalPerturbations mp = MinimalPerturbations.of("l2", CORRECT, SUCCESS, L2, LINF);
        assertEquals(6, mp.n());
        assertEquals(5, mp.correct());
        assertEquals(4, mp.measured());
        assertEquals((0.33f + 0.52f) / 2, mp.medianL2(), 1e-7, "the mean of the middle two of .12 .33 .52 .71");
        assertEquals((0.04f + 0.06f) / 2, mp.medianLinf(), 1e-7);
        assertEquals(21, mp.l2().edges().length);
        assertEquals(1.0, mp.l2().edges()[20], 1e-12, "the range rounds .71 up to 1");
        int[] counts = new int[20];
        counts[2] = 1; // .12 in [.10, .15)
        counts[6] = 1; // .33 in [.30, .35)
        counts[10] = 1; // .52
        counts[14] = 1; // .71
        assertArrayEquals(counts, mp.l2().counts());
        assertEquals(0.1, mp.linf().edges()[20], 1e-12, "the range rounds .09 up to .1");
        assertEquals(4, java.util.Arrays.stream(mp.linf().counts()).sum());
    }

    @Test
    void accuracyAtEpsCountsCorrectImagesWhoseSmallestPerturbationIsLarger() {
        MinimalPerturbations mp = MinimalPerturbations.of("l2", CORRECT, SUCCESS, L2, LINF);
        double[] eps = mp.eps();
        assertArrayEquals(mp.l2().edges(), eps, 0);
        assertEquals(5 / 6.0, mp.accuracy()[0], 1e-12, "at eps 0: the clean accuracy");
        assertEquals(eps[7], 0.35, 1e-12);
        assertEquals(3 / 6.0, mp.accuracy()[7], 1e-12, "at .35: .52, .71 and the failed attack");
        assertEquals(2 / 6.0, mp.accuracy()[11], 1e-12, "at .55: .71 and the failed attack");
        assertEquals(1 / 6.0, mp.accuracy()[20], 1e-12, "at 1: only the failed attack");
        for (int k = 1; k < eps.length; k++) {
            assertTrue(mp.accuracy()[k] <= mp.accuracy()[k - 1], "never rises with eps");
        }
        MinimalPerturbations linf = MinimalPerturbations.of("linf", CORRECT, SUCCESS, L2, LINF);
        assertArrayEquals(linf.linf().edges(), linf.eps(), 0);
        assertEquals(5 / 6.0, linf.accuracy()[1], 1e-12, "at L-inf .005 every correct image is still robust");
        assertEquals(4 / 6.0, linf.accuracy()[5], 1e-12, "at .025 the .011 image is lost");
    }

    @Test
    void metricsNameTheirPopulationAndSayNullWithoutData() {
        MinimalPerturbations none = MinimalPerturbations.of("l2", new boolean[] {true, false},
                new boolean[] {false, true}, new float[] {0f, 0f}, new float[] {0f, 0f});
        Map<String, Object> m = none.metrics();
        assertNull(m.get("median_l2"));
        assertNull(m.get("median_linf"));
        assertTrue(Double.isNaN(none.medianL2()));
        assertEquals(0.5, none.accuracy()[0], 1e-12);
        assertEquals(0.5, none.accuracy()[20], 1e-12, "a failed attack counts as robust at every eps");
        assertTrue(m.containsKey("l2_histogram") && m.containsKey("accuracy_vs_eps"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> curve = (List<Map<String, Object>>) m.get("accuracy_vs_eps");
        assertEquals(21, curve.size());
        assertEquals(0.0, curve.get(0).get("eps"));
        assertThrows(FoilException.class, () -> MinimalPerturbations.of("l2", CORRECT, SUCCESS, L2, new float[1]));
        assertThrows(FoilException.class, () -> MinimalPerturbations.of("l1", CORRECT, SUCCESS, L2, LINF));
    }

    @Test
    void roundNumbersAndMedians() {
        assertEquals(1, MinimalPerturbations.roundUp(0.7), 1e-12);
        assertEquals(2, MinimalPerturbations.roundUp(1.3), 1e-12);
        assertEquals(2.5, MinimalPerturbations.roundUp(2.1), 1e-12);
        assertEquals(5, MinimalPerturbations.roundUp(3), 1e-12);
        assertEquals(10, MinimalPerturbations.roundUp(7), 1e-12);
        assertEquals(10, MinimalPerturbations.roundUp(10), 1e-12);
        assertEquals(0.05, MinimalPerturbations.roundUp(0.042), 1e-12);
        assertEquals(1, MinimalPerturbations.roundUp(0), 1e-12);
        assertEquals(2, MinimalPerturbations.median(new double[] {3, 1, 2}), 0);
        assertEquals(2.5, MinimalPerturbations.median(new double[] {4, 1, 3, 2}), 0);
    }
}
