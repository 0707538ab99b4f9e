package foil.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import foil.FoilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GanTrainerTest {
    @TempDir
    Path dir;

    static final GanTrainer.RealData RING = Mixture.ring().realData();

    @BeforeAll
    static void quiet() {
        System.setProperty("foil.quiet", "true");
    }

    private static GanTrainer.Options options(String loss, int iters, float lr) {
        return new GanTrainer.Options(GanLoss.of(loss), iters, 64, 2, lr, lr, 0.5f, 0.9f, 3, 5, 5);
    }

    private static float[] samples(MlpGan nets) {
        return nets.sample(50, 99);
    }

    @Test
    void resumingFromACheckpointContinuesExactly() throws Exception {
        Engine.getInstance().setRandomSeed(3);
        float[] straight;
        try (MlpGan nets = new MlpGan(4, 2, 32, 2)) {
            new GanTrainer(nets, RING, options("wgan-gp", 20, 1e-3f), Files.createDirectory(dir.resolve("a")))
                    .train((i, n, l) -> { });
            straight = samples(nets);
        }
        Path b = Files.createDirectory(dir.resolve("b"));
        Engine.getInstance().setRandomSeed(3);
        try (MlpGan nets = new MlpGan(4, 2, 32, 2)) {
            new GanTrainer(nets, RING, options("wgan-gp", 10, 1e-3f), b).train((i, n, l) -> { });
        }
        Engine.getInstance().setRandomSeed(77); // a fresh process would start elsewhere: the checkpoint decides
        try (MlpGan nets = new MlpGan(4, 2, 32, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, options("wgan-gp", 20, 1e-3f), b);
            t.resume();
            assertEquals(10, t.iteration());
            t.train((i, n, l) -> { });
            assertArrayEquals(straight, samples(nets), "stopped at 10 and resumed = trained 20 in one go");
        }
        assertEquals(20, GanTrainer.readLog(b).size(), "one log line per iteration, none twice");
        assertEquals(20, ((Number) GanTrainer.readLog(b).get(19).get("iteration")).intValue());
    }

    @Test
    void aNewRunInAnOldDirectoryStartsItsOwnLog() {
        for (int run = 0; run < 2; run++) {
            try (MlpGan nets = new MlpGan(4, 2, 8, 1)) {
                new GanTrainer(nets, RING, options("nonsaturating", 6, 1e-3f), dir).train((i, n, l) -> { });
            }
        }
        assertEquals(6, GanTrainer.readLog(dir).size(), "the second run replaced the first one's log");
    }

    /** WGAN without weight clipping at learning rate 0.9: its losses explode within the first 2000 iterations. */
    private static GanTrainer.Options diverging(int checkpointEvery) {
        return new GanTrainer.Options(new WassersteinLoss(0f), 2000, 64, 1, 0.9f, 0.9f, 0.5f, 0.9f, 1, checkpointEvery,
                1);
    }

    @Test
    void divergenceStopsWithAClearMessageAndKeepsTheLastCheckpoint() throws Exception {
        try (MlpGan nets = new MlpGan(4, 2, 32, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, diverging(1), dir);
            String msg = assertThrows(FoilException.class, () -> t.train((i, n, l) -> { })).getMessage();
            assertTrue(msg.contains("diverged at iteration " + t.iteration()), msg);
            assertTrue(msg.contains("checkpoint, from iteration " + (t.iteration() - 1) + ", is kept in "
                    + dir.resolve(GanTrainer.CHECKPOINT)), msg);
            assertTrue(Files.isRegularFile(dir.resolve(GanTrainer.CHECKPOINT)));
            try (MlpGan again = new MlpGan(4, 2, 32, 2)) {
                GanTrainer r = new GanTrainer(again, RING, diverging(1), dir);
                r.resume();
                assertEquals(t.iteration() - 1, r.iteration(), "the last checkpoint is the one before the divergence");
            }
        }
    }

    @Test
    void divergenceBeforeTheFirstCheckpointClaimsNone() throws Exception {
        try (MlpGan nets = new MlpGan(4, 2, 32, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, diverging(2000), dir);
            String msg = assertThrows(FoilException.class, () -> t.train((i, n, l) -> { })).getMessage();
            assertTrue(t.iteration() < 2000, "diverged before the first checkpoint, at " + t.iteration());
            assertFalse(Files.exists(dir.resolve(GanTrainer.CHECKPOINT)));
            assertTrue(msg.contains("no checkpoint of this run was written before it (the first was due at iteration "
                    + "2000)"), msg);
            assertFalse(msg.contains("kept") || msg.contains("null") || msg.contains("earlier run"), msg);
        }
        Files.writeString(dir.resolve(GanTrainer.CHECKPOINT), "left by an earlier run (--force)");
        try (MlpGan nets = new MlpGan(4, 2, 32, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, diverging(2000), dir);
            String msg = assertThrows(FoilException.class, () -> t.train((i, n, l) -> { })).getMessage();
            assertTrue(msg.contains("no checkpoint of this run") && msg.contains("is an earlier run's"), msg);
        }
        try (MlpGan nets = new MlpGan(4, 2, 32, 2)) {
            GanTrainer t = new GanTrainer(nets, RING, diverging(1), null);
            String msg = assertThrows(FoilException.class, () -> t.train((i, n, l) -> { })).getMessage();
            assertTrue(msg.startsWith("training diverged at iteration " + t.iteration() + " "), msg);
            assertFalse(msg.contains("checkpoint") || msg.contains("null"), "a run without a directory has none: " + msg);
        }
    }

    @Test
    void trainingLeavesNoArraysBehind() {
        for (String loss : new String[] {"wgan-gp", "wgan", "nonsaturating"}) {
            try (MlpGan nets = new MlpGan(4, 2, 16, 2)) {
                java.util.List<Integer> counts = new java.util.ArrayList<>();
                GanTrainer.Options o = new GanTrainer.Options(GanLoss.of(loss), 30, 32, 2, 1e-3f, 1e-3f, 0.5f, 0.9f, 1,
                        1000, 5);
                new GanTrainer(nets, RING, o, dir).train((i, n, l) -> counts.add(nets.managedArrays()));
                assertEquals(1, counts.subList(1, counts.size()).stream().distinct().count(),
                        loss + ": arrays held by the networks and optimizers stay constant: " + counts);
            }
        }
    }

    /** The critic's written-out input gradient against autograd's, at x. */
    static void assertExplicitGradientIsAutograd(GanNetworks nets, NDArray x) {
        foil.testing.Threads.atOneAndTwo(threads -> {
            NDArray in = x.duplicate();
            in.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(nets.score(in).sum());
            }
            float[] autograd = in.getGradient().toFloatArray();
            float[] explicit = nets.criticInputGradient(x.stopGradient()).toFloatArray();
            assertArrayEquals(autograd, explicit, 1e-5f, threads + " thread(s)");
        });
    }

    @Test
    void explicitCriticGradientEqualsAutograd() {
        try (MlpGan nets = new MlpGan(4, 2, 16, 3, 2.5f); NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomNormal(new Shape(32, 2)).mul(3f);
            assertExplicitGradientIsAutograd(nets, x);
        }
    }

    /** Uniform noise as 28x28 one-channel "images" in [-1, 1]. */
    static GanTrainer.RealData noiseImages() {
        return new GanTrainer.RealData() {
            @Override
            public float[] sample(int n, java.util.Random random) {
                float[] out = new float[n * 28 * 28];
                for (int i = 0; i < out.length; i++) {
                    out[i] = random.nextFloat() * 2 - 1;
                }
                return out;
            }

            @Override
            public Shape shape() {
                return new Shape(1, 28, 28);
            }
        };
    }

    @Test
    void dcganCriticGradientEqualsAutogradAndWganGpTrainingLeavesNoArrays() {
        try (Dcgan nets = new Dcgan(8, 1, 4, false); NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.randomUniform(-1f, 1f, new Shape(6, 1, 28, 28));
            assertExplicitGradientIsAutograd(nets, x);
            GanTrainer.RealData images = noiseImages();
            java.util.List<Integer> counts = new java.util.ArrayList<>();
            GanTrainer.Options o = new GanTrainer.Options(GanLoss.of("wgan-gp"), 12, 8, 2, 1e-3f, 1e-3f, 0.5f, 0.9f, 1,
                    1000, 3);
            new GanTrainer(nets, images, o, dir).train((i, n, l) -> counts.add(nets.managedArrays()));
            assertEquals(1, counts.subList(1, counts.size()).stream().distinct().count(),
                    "arrays held by the networks and optimizers stay constant: " + counts);
        }
    }

    @Test
    void lossesFollowTheirDefinitions() {
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray real = m.create(new float[] {2f, -1f});
            NDArray fake = m.create(new float[] {0.5f, -3f});
            double sp = 0;
            for (float s : new float[] {2f, -1f}) {
                sp += Math.log1p(Math.exp(-s)) / 2; // -log sig(real)
            }
            for (float s : new float[] {0.5f, -3f}) {
                sp += Math.log1p(Math.exp(s)) / 2; // -log(1 - sig(fake))
            }
            assertEquals(sp, new MinimaxLoss().discriminator(real, fake).getFloat(), 1e-5);
            double mm = 0;
            double ns = 0;
            for (float s : new float[] {0.5f, -3f}) {
                double d = 1 / (1 + Math.exp(-s));
                mm += Math.log(1 - d) / 2;
                ns += -Math.log(d) / 2;
            }
            assertEquals(mm, new MinimaxLoss().generator(fake).getFloat(), 1e-5);
            assertEquals(ns, new NonSaturatingLoss().generator(fake).getFloat(), 1e-5);
            assertEquals((-1.25) - 0.5, new WassersteinLoss(0.01f).discriminator(real, fake).getFloat(), 1e-6);
            assertEquals((0 + 2) / 2.0 + (1.5 + 0) / 2.0, new HingeLoss().discriminator(real, fake).getFloat(), 1e-6);
        }
    }

    @Test
    void modeCoverageCountsModesAndQuality() {
        Mixture grid = Mixture.grid();
        ModeCoverage all = ModeCoverage.of(grid, grid.sample(2500, new Random(1)));
        assertEquals(25, all.modesCovered());
        assertTrue(all.highQualityFraction() > 0.98, "P(|r| <= 3 std) = 1 - exp(-4.5) in 2-D");
        float[] collapsed = new float[2 * 100];
        for (int i = 0; i < 100; i++) {
            collapsed[2 * i] = 2f;
            collapsed[2 * i + 1] = (i % 2 == 0) ? 4f : 3f; // half at mode (2, 4), half far from every mode
        }
        ModeCoverage c = ModeCoverage.of(grid, collapsed);
        assertEquals(1, c.modesCovered());
        assertEquals(0.5, c.highQualityFraction(), 1e-12);
        assertEquals(Math.log(25), c.modeKl(), 1e-12, "one mode takes all");
        assertTrue(all.modeKl() < 0.02, "real samples spread evenly: " + all.modeKl());
        float[] half = new float[2 * 100]; // 75 samples at (0, 0), 25 at (2, 2): KL = .75 log(.75·25) + .25 log(.25·25)
        for (int i = 0; i < 100; i++) {
            half[2 * i] = i < 75 ? 0f : 2f;
            half[2 * i + 1] = i < 75 ? 0f : 2f;
        }
        assertEquals(0.75 * Math.log(0.75 * 25) + 0.25 * Math.log(0.25 * 25), ModeCoverage.of(grid, half).modeKl(), 1e-12);
        assertTrue(Double.isNaN(ModeCoverage.of(grid, new float[] {1f, 1f}).modeKl()), "no high-quality sample");
    }

    /**
     * The trainer, the MLP pair and WGAN-GP together learn: on the ring of 8 (std 0.01, so a high-quality sample lies
     * within 0.03 of a mode), a 64-unit WGAN-GP covers the modes with many samples sharp in 1500 iterations. Zero
     * initial biases (networks homogeneous in their input) or a wrong penalty leave it far below this.
     */
    @Test
    void wganGpLearnsTheRingOfEight() {
        Mixture ring = Mixture.ring();
        GanTrainer.Options o = new GanTrainer.Options(new WassersteinGpLoss(0.1f), 1500, 128, 5, 1e-3f, 1e-3f, 0.5f, 0.9f,
                0, 1_000_000, 1500, true);
        Engine.getInstance().setRandomSeed(0); // the initial weights, whatever ran before in this JVM
        try (MlpGan nets = new MlpGan(2, 2, 64, 3, (float) ring.scale())) {
            new GanTrainer(nets, RING, o, null).train((iteration, n, line) -> { });
            ModeCoverage c = ModeCoverage.of(ring, nets.sample(2500, 11));
            // one run gave 8 modes and 59% here; the margins leave room for other thread counts and devices
            assertTrue(c.modesCovered() >= 7, "modes covered " + c.modesCovered());
            assertTrue(c.highQualityFraction() > 0.25, "high-quality fraction " + c.highQualityFraction());
        }
    }

    @Test
    void mixtureScaleIsTheDataStandardDeviation() {
        // grid: the means' coordinates are uniform on {-4,-2,0,2,4} (variance 8) plus the modes' 0.05^2
        assertEquals(Math.sqrt(8 + 0.0025), Mixture.grid().scale(), 1e-12);
        // ring of radius 1: each coordinate has variance 1/2
        assertEquals(Math.sqrt(0.5 + 0.0001), Mixture.ring().scale(), 1e-12);
        float[] s = Mixture.grid().sample(200_000, new Random(3));
        double squares = 0;
        for (float v : s) {
            squares += v * v;
        }
        assertEquals(Mixture.grid().scale(), Math.sqrt(squares / s.length), 0.02);
    }
}
