package foil.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import foil.FoilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generator's moving average against the formula worked here in double precision from the weights read before
 * and after each step, its checkpointing, and what sampling from a saved run gets.
 */
class GeneratorEmaTest {
    @TempDir
    Path dir;

    static final GanTrainer.RealData RING = GanTrainerTest.RING;

    @BeforeAll
    static void quiet() {
        System.setProperty("foil.quiet", "true");
    }

    private static GanTrainer.Options options(int iters, float ema) {
        return new GanTrainer.Options(GanLoss.of("nonsaturating"), iters, 32, 1, 1e-3f, 1e-3f, 0.5f, 0.9f, 3, 5, 1)
                .withEma(ema);
    }

    /** The generator's weights, one array per parameter (running statistics included), read from the block. */
    private static float[][] weights(GanNetworks nets) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : nets.generatorBlock().getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out.toArray(new float[0][]);
    }

    private static void assertClose(double[][] want, float[][] got, String what) {
        assertEquals(want.length, got.length);
        for (int k = 0; k < want.length; k++) {
            for (int i = 0; i < want[k].length; i++) {
                double tol = 1e-6 * Math.max(1, Math.abs(want[k][i]));
                assertEquals(want[k][i], got[k][i], tol, what + ", parameter " + k + ", value " + i);
            }
        }
    }

    /** β·old + (1 − β)·new, in double. */
    private static double[][] mix(double beta, double[][] old, float[][] w) {
        double[][] out = new double[w.length][];
        for (int k = 0; k < w.length; k++) {
            out[k] = new double[w[k].length];
            for (int i = 0; i < w[k].length; i++) {
                out[k][i] = beta * old[k][i] + (1 - beta) * w[k][i];
            }
        }
        return out;
    }

    private static double[][] toDouble(float[][] w) {
        double[][] out = new double[w.length][];
        for (int k = 0; k < w.length; k++) {
            out[k] = new double[w[k].length];
            for (int i = 0; i < w[k].length; i++) {
                out[k][i] = w[k][i];
            }
        }
        return out;
    }

    /** The formula itself, step by step, with the raw weights read by pausing training after each iteration. */
    @Test
    void oneStepIsDecayTimesOldPlusTheRestTimesNew() throws Exception {
        for (float d : new float[] {0.05f, 0.999f}) {
            Engine.getInstance().setRandomSeed(7);
            Path run = Files.createDirectories(dir.resolve("run-" + d));
            try (MlpGan nets = new MlpGan(4, 2, 8, 2)) {
                double[][] expected = toDouble(weights(nets)); // the average starts at the initial weights
                for (int it = 1; it <= 3; it++) {
                    GanTrainer t = new GanTrainer(nets, RING, options(it, d), run);
                    if (it > 1) {
                        t.resume();
                    }
                    t.train((i, n, l) -> { });
                    float[][] w = weights(nets); // outside the observer: the training weights
                    double beta = Math.min(d, (1.0 + (it - 1)) / (10.0 + (it - 1)));
                    expected = mix(beta, expected, w);
                    assertClose(expected, t.ema().values(), "decay " + d + ", step " + it + " (beta " + beta + ")");
                    assertEquals(it, t.ema().updates());
                }
            }
        }
    }

    @Test
    void decayZeroAveragesToTheRawWeights() {
        Engine.getInstance().setRandomSeed(3);
        try (MlpGan nets = new MlpGan(4, 2, 8, 2)) {
            GeneratorEma average = new GeneratorEma(nets, 0f);
            GanTrainer t = new GanTrainer(nets, RING, options(4, 0f), null);
            assertNull(t.ema(), "--ema 0 keeps no average");
            assertEquals("raw", t.evaluationWeights());
            t.train((i, n, l) -> average.update());
            float[][] w = weights(nets);
            float[][] a = average.values();
            for (int k = 0; k < w.length; k++) {
                assertArrayEquals(w[k], a[k], "decay 0: the average is the weights");
            }
        }
        assertThrows(FoilException.class, () -> options(4, 1f));
        assertThrows(FoilException.class, () -> options(4, -0.1f));
    }

    @Test
    void theAverageIsCheckpointedAndRestoredOnResume() throws Exception {
        Engine.getInstance().setRandomSeed(11);
        float[][] straight;
        float[][] straightRaw;
        try (MlpGan nets = new MlpGan(4, 2, 16, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, options(20, 0.9f), Files.createDirectory(dir.resolve("a")));
            t.train((i, n, l) -> { });
            straight = t.ema().values();
            straightRaw = weights(nets);
        }
        Path b = Files.createDirectory(dir.resolve("b"));
        float[][] atTen;
        Engine.getInstance().setRandomSeed(11);
        try (MlpGan nets = new MlpGan(4, 2, 16, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, options(10, 0.9f), b);
            t.train((i, n, l) -> { });
            atTen = t.ema().values();
        }
        Engine.getInstance().setRandomSeed(77);
        try (MlpGan nets = new MlpGan(4, 2, 16, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, options(20, 0.9f), b);
            t.resume();
            assertEquals(10, t.ema().updates(), "the update count decides the warm-up: it is restored too");
            float[][] restored = t.ema().values();
            for (int k = 0; k < restored.length; k++) {
                assertArrayEquals(atTen[k], restored[k], "the average at the checkpoint, not the resumed weights");
            }
            assertFalse(java.util.Arrays.equals(restored[0], weights(nets)[0]), "the average is not the weights");
            t.train((i, n, l) -> { });
            float[][] resumed = t.ema().values();
            for (int k = 0; k < resumed.length; k++) {
                assertArrayEquals(straight[k], resumed[k], "stopped at 10 and resumed = 20 in one go, parameter " + k);
                assertArrayEquals(straightRaw[k], weights(nets)[k], "the training weights too, parameter " + k);
            }
        }
        assertEquals(0.9f, GanTrainer.storedEmaDecay(b));
        try (MlpGan nets = new MlpGan(4, 2, 16, 2)) {
            GanTrainer.loadNetworks(b, nets);
            assertEquals("ema", nets.generatorWeights());
            float[][] loaded = weights(nets);
            for (int k = 0; k < loaded.length; k++) {
                assertArrayEquals(straight[k], loaded[k], "sampling loads the average, parameter " + k);
            }
        }
    }

    @Test
    void withoutAnAverageTheRawWeightsAreSavedAndLoaded() throws Exception {
        Engine.getInstance().setRandomSeed(2);
        float[][] trained;
        try (MlpGan nets = new MlpGan(4, 2, 8, 2)) {
            new GanTrainer(nets, RING, options(6, 0f), dir).train((i, n, l) -> { });
            trained = weights(nets);
        }
        assertEquals(0f, GanTrainer.storedEmaDecay(dir));
        try (MlpGan nets = new MlpGan(4, 2, 8, 2)) {
            GanTrainer.loadNetworks(dir, nets);
            assertEquals("raw", nets.generatorWeights());
            assertArrayEquals(trained[0], weights(nets)[0]);
        }
        // resumed with an average asked for: it starts from the resumed weights
        try (MlpGan nets = new MlpGan(4, 2, 8, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, options(8, 0.99f), dir);
            t.resume();
            assertEquals(0, t.ema().updates());
            assertArrayEquals(trained[0], t.ema().values()[0]);
        }
    }

    /** Observing installs the average and puts the training weights back, running statistics included. */
    @Test
    void evaluationWeightsLeaveTrainingUntouched() {
        Engine.getInstance().setRandomSeed(4);
        try (Dcgan nets = new Dcgan(8, 1, 4)) {
            GanTrainer t = new GanTrainer(nets, GanTrainerTest.noiseImages(), new GanTrainer.Options(GanLoss.of(
                    "nonsaturating"), 3, 8, 1, 1e-3f, 1e-3f, 0.5f, 0.9f, 1, 1000, 3).withEma(0.5f), null);
            t.train((i, n, l) -> { });
            float[][] before = weights(nets);
            float[][] average = t.ema().values();
            float[][] seen = t.withEvaluationWeights(n -> {
                assertEquals("ema", n.generatorWeights());
                float[][] w = weights(n);
                n.sample(16, 1); // training-mode batch norm moves the running statistics
                return w;
            });
            float[][] after = weights(nets);
            assertEquals("raw", nets.generatorWeights());
            for (int k = 0; k < before.length; k++) {
                assertArrayEquals(average[k], seen[k], "the body sees the average, parameter " + k);
                assertArrayEquals(before[k], after[k], "and the training weights are back, parameter " + k);
            }
            assertTrue(nets.generatorBlock().getParameters().values().stream()
                    .anyMatch(p -> p.getType() == Parameter.Type.RUNNING_MEAN), "the DCGAN generator has batch norm");
        }
    }

    @Test
    void theAverageLeavesNoArraysBehind() {
        try (Dcgan nets = new Dcgan(8, 1, 4)) {
            List<Integer> counts = new ArrayList<>();
            GanTrainer.Options o = new GanTrainer.Options(GanLoss.of("nonsaturating"), 8, 8, 1, 1e-3f, 1e-3f, 0.5f, 0.9f,
                    1, 1000, 2).withEma(0.9f);
            new GanTrainer(nets, GanTrainerTest.noiseImages(), o, dir).train((i, n, l) -> counts.add(nets
                    .managedArrays()));
            assertEquals(1, counts.subList(1, counts.size()).stream().distinct().count(),
                    "arrays held by the networks, optimizers and the average stay constant: " + counts);
        }
    }
}
