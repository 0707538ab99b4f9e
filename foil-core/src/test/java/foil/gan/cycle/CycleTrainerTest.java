package foil.gan.cycle;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import foil.Foil;
import foil.FoilException;
import foil.gan.GanTrainer;
import foil.gan.LeastSquaresLoss;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CycleGAN's pieces: the pool, the loss, which parameters each step moves, checkpoints, shapes and leaks. */
class CycleTrainerTest {
    @TempDir
    Path dir;

    static final int SIDE = 16;
    static final GanTrainer.RealData A = CycleGanKnownAnswerTest.source(CycleGanKnownAnswerTest.shapes(64,
            new Random(1)));
    static final GanTrainer.RealData B = CycleGanKnownAnswerTest.source(CycleGanKnownAnswerTest.inverted(
            CycleGanKnownAnswerTest.shapes(64, new Random(2))));

    @BeforeAll
    static void quiet() {
        System.setProperty("foil.quiet", "true");
    }

    private static CycleGan small() {
        return new CycleGan(new CycleGan.Config(1, SIDE, SIDE, 4, 1));
    }

    /** n images of one value each: image i is all (base + i). */
    private static float[] images(int n, int size, float base) {
        float[] x = new float[n * size];
        for (int i = 0; i < n; i++) {
            java.util.Arrays.fill(x, i * size, (i + 1) * size, base + i);
        }
        return x;
    }

    @Test
    void poolFillsToItsCapacityThenSwapsHalfTheTime() throws Exception {
        int size = 3;
        ImagePool pool = new ImagePool(50, size);
        Random r = new Random(7);
        for (int k = 0; k < 5; k++) { // 5 batches of 10: while filling, every image is stored and shown as it is
            float[] batch = images(10, size, 100 * k);
            assertArrayEquals(batch, pool.query(batch, 10, r));
            assertEquals(10 * (k + 1), pool.size());
        }
        Set<Float> stored = new HashSet<>();
        for (int k = 0; k < 5; k++) {
            for (int i = 0; i < 10; i++) {
                stored.add(100f * k + i);
            }
        }
        int old = 0;
        int shown = 0;
        for (int k = 5; k < 205; k++) {
            float[] batch = images(10, size, 100 * k);
            float[] out = pool.query(batch, 10, r);
            assertEquals(50, pool.size(), "never more than its capacity");
            for (int i = 0; i < 10; i++) {
                float v = out[i * size];
                for (int j = 1; j < size; j++) {
                    assertEquals(v, out[i * size + j], "images are returned whole");
                }
                shown++;
                if (v == batch[i * size]) {
                    stored.remove(v); // shown new: not stored (or stored in place of another, then shown later)
                } else {
                    old++;
                    assertTrue(stored.remove(v), "an old image returned was one stored, and leaves the pool: " + v);
                    stored.add(batch[i * size]);
                }
            }
            assertTrue(stored.size() <= 50);
        }
        double fraction = (double) old / shown;
        assertEquals(0.5, fraction, 0.05, "old images returned half the time over " + shown + " queries");

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        pool.save(new DataOutputStream(bytes));
        ImagePool copy = new ImagePool(50, size);
        copy.load(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        float[] next = images(10, size, 1e6f);
        assertArrayEquals(pool.query(next, 10, new Random(3)), copy.query(next, 10, new Random(3)),
                "a saved and loaded pool answers as the original");

        ImagePool none = new ImagePool(0, size);
        assertArrayEquals(next, none.query(next, 10, r), "capacity 0: the batch passes through");
        assertEquals(0, none.size());
        assertThrows(FoilException.class, () -> new ImagePool(-1, size));
    }

    @Test
    void leastSquaresLossIsTheMeanSquaredErrorToOneAndZero() {
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            LeastSquaresLoss loss = new LeastSquaresLoss();
            NDArray real = m.create(new float[] {1f, 0.5f, 2f, -1f}, new Shape(1, 1, 2, 2));
            NDArray fake = m.create(new float[] {0f, 1f, -0.5f, 0.25f}, new Shape(1, 1, 2, 2));
            double realTerm = (0 + 0.25 + 1 + 4) / 4.0;
            double fakeTerm = (0 + 1 + 0.25 + 0.0625) / 4.0;
            assertEquals(0.5 * (realTerm + fakeTerm), loss.discriminator(real, fake).getFloat(), 1e-6);
            assertEquals((1 + 0 + 2.25 + 0.5625) / 4.0, loss.generator(fake).getFloat(), 1e-6);
            assertEquals(0f, loss.discriminator(m.ones(new Shape(3)), m.zeros(new Shape(3))).getFloat(),
                    "a perfect discriminator has no loss");
            assertEquals(0f, loss.generator(m.ones(new Shape(3))).getFloat(), "nor a generator it takes for real");
        }
    }

    private static List<float[]> weights(Block block) {
        List<float[]> out = new ArrayList<>();
        for (Pair<String, Parameter> p : block.getParameters()) {
            out.add(p.getValue().getArray().toFloatArray());
        }
        return out;
    }

    private static boolean same(List<float[]> x, List<float[]> y) {
        for (int i = 0; i < x.size(); i++) {
            if (!java.util.Arrays.equals(x.get(i), y.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static void assertAllMoved(List<float[]> before, Block block, String what) {
        List<float[]> after = weights(block);
        for (int i = 0; i < before.size(); i++) {
            assertFalse(java.util.Arrays.equals(before.get(i), after.get(i)), what + ": parameter " + i + " moved");
        }
    }

    @Test
    void eachStepMovesOnlyItsOwnNetworks() {
        Foil.seed(3);
        try (CycleGan nets = small(); NDManager root = nets.manager().newSubManager()) {
            CycleTrainer t = new CycleTrainer(nets, A, B, CycleTrainer.Options.paper(10, 4, 3, 100), null);
            Random r = new Random(4);
            float[] a = A.sample(4, r);
            float[] b = B.sample(4, r);
            List<List<float[]>> before = new ArrayList<>();
            for (Block k : nets.blocks()) {
                before.add(weights(k));
            }
            CycleTrainer.Fakes fakes = t.generatorStep(root, 1f, a, b, new LinkedHashMap<>());
            assertAllMoved(before.get(0), nets.generator(CycleGan.Side.B), "G in the generator step");
            assertAllMoved(before.get(1), nets.generator(CycleGan.Side.A), "F in the generator step");
            assertTrue(same(before.get(2), weights(nets.discriminator(CycleGan.Side.A))), "D_A held still");
            assertTrue(same(before.get(3), weights(nets.discriminator(CycleGan.Side.B))), "D_B held still");
            for (Block d : List.of(nets.discriminator(CycleGan.Side.A), nets.discriminator(CycleGan.Side.B))) {
                for (Pair<String, Parameter> p : d.getParameters()) {
                    assertTrue(p.getValue().getArray().hasGradient(), "the discriminators take gradients again");
                    assertEquals(0f, p.getValue().getArray().getGradient().abs().sum().getFloat(),
                            "and none was left on them");
                }
            }
            List<float[]> g = weights(nets.generator(CycleGan.Side.B));
            List<float[]> f = weights(nets.generator(CycleGan.Side.A));
            t.discriminatorStep(root, 1f, a, b, fakes, new LinkedHashMap<>());
            assertTrue(same(g, weights(nets.generator(CycleGan.Side.B))), "G held still in the discriminator step");
            assertTrue(same(f, weights(nets.generator(CycleGan.Side.A))), "F held still in the discriminator step");
            assertAllMoved(before.get(2), nets.discriminator(CycleGan.Side.A), "D_A in the discriminator step");
            assertAllMoved(before.get(3), nets.discriminator(CycleGan.Side.B), "D_B in the discriminator step");
        }
    }

    @Test
    void networksKeepTheImageSizeAndScorePatches() {
        try (CycleGan nets = new CycleGan(new CycleGan.Config(1, 28, 28, 4, 1));
                NDManager m = nets.manager().newSubManager()) {
            NDArray x = m.randomUniform(-1, 1, new Shape(2, 1, 28, 28));
            assertEquals(new Shape(2, 1, 28, 28), nets.translate(x, CycleGan.Side.B).getShape());
            assertEquals(new Shape(2, 1, 12, 12), nets.score(x, CycleGan.Side.A).getShape());
            assertEquals(12, PatchDiscriminator.outputSide(28));
        }
        assertThrows(FoilException.class, () -> new CycleGan.Config(1, 30, 30, 4, 1), "sides must be multiples of 4");
    }

    @Test
    void lrIsConstantThenFallsLinearlyToZero() {
        CycleTrainer.Options o = CycleTrainer.Options.paper(100, 1, 0, 10);
        assertEquals(1f, o.lrScale(0));
        assertEquals(1f, o.lrScale(49));
        assertEquals(1f, o.lrScale(50));
        assertEquals(0.5f, o.lrScale(75), 1e-6);
        assertEquals(0.02f, o.lrScale(99), 1e-6);
    }

    /**
     * At one thread, where the engine's sums have one order (two threads once gave a last-digit difference here), on
     * the route the guard chose: the padded oneDNN route on this project's AVX-512 machines, whose runs are exact
     * again since arrays made from Java data own their memory (docs/notes/djl-freed-scalars.md).
     */
    @Test
    void resumingFromACheckpointContinuesExactlyWithoutLeaks() throws Exception {
        Foil.engine();
        int threads = ai.djl.pytorch.jni.JniUtils.getNumThreads();
        ai.djl.pytorch.jni.JniUtils.setNumThreads(1);
        try {
            resumeExactly();
        } finally {
            ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
            foil.numerics.Numerics.reapply();
        }
    }

    private void resumeExactly() throws Exception {
        Foil.seed(9);
        float[] straight;
        float[] probe = CycleGanKnownAnswerTest.shapes(4, new Random(11));
        Path one = Files.createDirectory(dir.resolve("one"));
        try (CycleGan nets = small()) {
            List<Integer> arrays = new ArrayList<>();
            new CycleTrainer(nets, A, B, CycleTrainer.Options.paper(12, 4, 9, 3), one)
                    .train((i, n) -> arrays.add(n.managedArrays()));
            assertEquals(4, arrays.size(), "an observation at every checkpoint");
            assertEquals(1, arrays.stream().distinct().count(), "arrays held stay constant: " + arrays);
            straight = nets.translateUnit(probe, 4, CycleGan.Side.B, 4);
        }
        Path two = Files.createDirectory(dir.resolve("two"));
        Foil.seed(9);
        try (CycleGan nets = small()) { // stopped right after the checkpoint at 6, as by kill -9
            CycleTrainer t = new CycleTrainer(nets, A, B, CycleTrainer.Options.paper(12, 4, 9, 3), two);
            assertThrows(IllegalStateException.class, () -> t.train((i, n) -> {
                if (i == 6) {
                    throw new IllegalStateException("stop");
                }
            }));
        }
        Foil.seed(77); // a fresh process would start elsewhere: the checkpoint decides
        try (CycleGan nets = small()) {
            CycleTrainer t = new CycleTrainer(nets, A, B, CycleTrainer.Options.paper(12, 4, 9, 3), two);
            t.resume();
            assertEquals(6, t.iteration());
            assertEquals(Math.min(6 * 4, 50), t.pool(CycleGan.Side.A).size(), "the pools come back");
            t.train((i, n) -> { });
            assertArrayEquals(straight, nets.translateUnit(probe, 4, CycleGan.Side.B, 4),
                    "stopped at 6 and resumed = trained 12 in one go");
        }
        assertEquals(12, GanTrainer.readLog(two).size(), "one log line per iteration, none twice");
    }
}
