package foil.features;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import foil.data.DataSource;
import foil.data.IdxDatasets;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.testing.Synthetic;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesTest {
    static ImageDataset train;
    static FoilModel mlp;

    @TempDir
    Path tmp;

    @BeforeAll
    static void trainModel() {
        train = Synthetic.dataset(300, 11);
        Engine.getInstance().setRandomSeed(2);
        mlp = FoilModel.create(Architecture.MLP, train.imageShape(), 10, List.of());
        ClassifierTrainer.train(mlp, train, new TrainOptions(6, 32, 1e-2f, 0f, 1), null);
    }

    @AfterAll
    static void close() {
        mlp.close();
    }

    @Test
    void aFeatureThatIsTheLabelHasUsefulnessOne() {
        int[] y = new int[100];
        double[] f = new double[100];
        double[] noise = new double[100];
        java.util.Random r = new java.util.Random(0);
        for (int i = 0; i < 100; i++) {
            y[i] = i % 2 == 0 ? 1 : -1;
            f[i] = y[i];
            noise[i] = r.nextGaussian();
        }
        assertEquals(1.0, Usefulness.rho(f, y), 1e-12);
        double[] scaled = f.clone();
        for (int i = 0; i < 100; i++) {
            scaled[i] = 3 * f[i] + 7; // normalisation removes scale and shift; orientation removes the sign
        }
        assertEquals(1.0, Usefulness.rho(scaled, y), 1e-12);
        assertTrue(Usefulness.rho(noise, y) < 0.3, "noise is not useful");
    }

    @Test
    void robustUsefulnessOfPixelsMatchesTheClosedForm() {
        // a softmax model's "flatten" layer is the pixels themselves: the worst case in the L-inf ball is known
        float eps = 0.1f;
        try (FoilModel softmax = FoilModel.create(Architecture.SOFTMAX, train.imageShape(), 10, List.of())) {
            Usefulness u = Usefulness.of(eps, 10);
            Usefulness.Result r = u.measure(softmax, "flatten", train, 0, 1, 64);
            ImageDataset pair = Usefulness.binary(train, 0, 1);
            int per = pair.imageSize();
            int checked = 0;
            for (int j = 0; j < per; j++) {
                if (r.std()[j] == 0) {
                    continue;
                }
                double gamma = 0;
                double rho = 0;
                for (int i = 0; i < pair.size(); i++) {
                    int y = pair.labels()[i] == 0 ? 1 : -1;
                    double x = pair.pixels()[i * per + j];
                    double worst = Math.min(1, Math.max(0, x - r.orientation()[j] * y * eps));
                    gamma += r.orientation()[j] * y * (worst - r.mean()[j]) / r.std()[j] / pair.size();
                    rho += r.orientation()[j] * y * (x - r.mean()[j]) / r.std()[j] / pair.size();
                }
                assertEquals(rho, r.rho()[j], 1e-4, "rho of pixel " + j);
                assertEquals(gamma, r.gamma()[j], 1e-3, "gamma of pixel " + j);
                assertTrue(r.gamma()[j] <= r.rho()[j] + 1e-6, "an attack never makes a feature more useful");
                checked++;
            }
            assertTrue(checked > 50, "checked " + checked + " pixels");
        }
    }

    @Test
    void aUnitSilentOnOneClassThatEpsSwitchesOnIsNotRobust() {
        // one hidden unit z = d·x + b of an mlp, d = template 0 − template 1: it fires on class 0 and is silent on
        // every image of class 1, yet an L-inf eps of 0.1 moves d·x by about 1.4, enough to switch it on there.
        // A ReLU's gradient is zero where it is silent, so PGD on relu(z) alone leaves those images at 0 and
        // gets a floor; the worst case is known in closed form since z is linear in x
        float eps = 0.1f;
        ImageDataset pair = Usefulness.binary(train, 0, 1);
        int per = pair.imageSize();
        float[] d = new float[per];
        for (int p = 0; p < per; p++) {
            d[p] = classMean(pair, 0, p) - classMean(pair, 1, p);
        }
        double silentMax = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < pair.size(); i++) {
            if (pair.labels()[i] == 1) {
                silentMax = Math.max(silentMax, dot(d, pair.pixels(), i * per));
            }
        }
        float bias = (float) (-silentMax - 0.1);
        Engine.getInstance().setRandomSeed(5);
        try (FoilModel m = FoilModel.create(Architecture.MLP, train.imageShape(), 10, List.of())) {
            float[] w = new float[100 * per];
            float[] b = new float[100];
            java.util.Arrays.fill(b, -1f); // the other units: no weights, silent everywhere, so dead
            System.arraycopy(d, 0, w, 0, per);
            b[0] = bias;
            ai.djl.nn.Block fc1 = m.block().getChildren().get(1).getValue();
            fc1.getParameters().get("weight").getArray().set(w);
            fc1.getParameters().get("bias").getArray().set(b);

            Usefulness.Result r = Usefulness.of(eps, 10, 3).measure(m, "relu1", train, 0, 1, 64);
            assertEquals(1, r.summary().get("live_features"), "one live unit");
            double gamma = 0;
            double floor = 0; // what PGD on relu(z) alone finds: silent images stay at 0
            int switchedOn = 0;
            for (int i = 0; i < pair.size(); i++) {
                int y = pair.labels()[i] == 0 ? 1 : -1;
                double z = dot(d, pair.pixels(), i * per) + bias;
                double reach = 0; // the largest change of z in the ball and the box, in the adversary's direction
                for (int p = 0; p < per; p++) {
                    float x = pair.pixels()[i * per + p];
                    double moved = d[p] * y > 0 ? Math.max(0, x - eps) : Math.min(1, x + eps);
                    reach += d[p] * (moved - x);
                }
                double worst = Math.max(0, z + reach);
                switchedOn += y < 0 && worst > 0 ? 1 : 0;
                gamma += r.orientation()[0] * y * (worst - r.mean()[0]) / r.std()[0] / pair.size();
                double stuck = z > 0 ? worst : 0;
                floor += r.orientation()[0] * y * (stuck - r.mean()[0]) / r.std()[0] / pair.size();
            }
            assertEquals(1.0, r.orientation()[0], "the unit predicts class 0");
            assertTrue(switchedOn > pair.size() / 4, "eps switches the unit on for " + switchedOn + " images");
            assertEquals(gamma, r.gamma()[0], 1e-3, "gamma is the closed-form worst case");
            assertTrue(r.gamma()[0] < floor - 0.1, "gamma " + r.gamma()[0] + " is below the floor " + floor
                    + " of PGD on relu(z) alone");
        }
    }

    private static float classMean(ImageDataset d, int label, int p) {
        double s = 0;
        int k = 0;
        for (int i = 0; i < d.size(); i++) {
            if (d.labels()[i] == label) {
                s += d.pixels()[i * d.imageSize() + p];
                k++;
            }
        }
        return (float) (s / k);
    }

    private static double dot(float[] d, float[] pixels, int offset) {
        double s = 0;
        for (int p = 0; p < d.length; p++) {
            s += d[p] * pixels[offset + p];
        }
        return s;
    }

    @Test
    void nonRobustDatasetIsLabelledWithTheTargetsAndStaysInTheBall() throws Exception {
        ImageDataset source = train.head(60);
        float eps = 1.5f;
        for (NonRobustDataset.Targets mode : NonRobustDataset.Targets.values()) {
            NonRobustDataset spec = NonRobustDataset.of(eps, 30, mode);
            NonRobustDataset.Result r = spec.build(mlp, source, 5, 32);
            int[] expected = spec.targetsFor(source.labels(), 10, 5);
            assertArrayEquals(expected, r.dataset().labels(), "D_NR labels are the targets");
            int per = source.imageSize();
            for (int i = 0; i < source.size(); i++) {
                assertNotEquals(source.labels()[i], r.dataset().labels()[i]);
                if (mode == NonRobustDataset.Targets.NEXT) {
                    assertEquals((source.labels()[i] + 1) % 10, r.dataset().labels()[i]);
                }
                double l2 = 0;
                for (int k = 0; k < per; k++) {
                    float v = r.dataset().pixels()[i * per + k];
                    assertTrue(v >= 0f && v <= 1f);
                    double d = v - source.pixels()[i * per + k];
                    l2 += d * d;
                }
                assertTrue(Math.sqrt(l2) <= eps + 1e-4, "L2 " + Math.sqrt(l2));
            }
            assertTrue(r.targetRate() > 0.8, "the standard model sees the targets: " + r.targetRate());
            // written as IDX, read back through --data DIR
            Path dir = tmp.resolve(mode.cliName);
            IdxDatasets.write(dir, r.dataset(), source);
            ImageDataset back = DataSource.locate(dir.toString()).train();
            assertArrayEquals(r.dataset().labels(), back.labels());
            assertArrayEquals(r.dataset().pixels(), back.pixels());
        }
    }

    @Test
    void robustDatasetMatchesTheRepresentationItWasBuiltFor() {
        ImageDataset source = train.head(40);
        RobustDataset.Result r = new RobustDataset("penultimate", 300, 0.5f).build(mlp, source, 3, 40);
        assertArrayEquals(source.labels(), r.dataset().labels(), "D_R keeps the labels");
        for (int i = 0; i < source.size(); i++) {
            assertNotEquals(i, r.starts()[i], "each image starts from another");
        }
        System.out.printf("D_R relative distance: start %.3f, end mean %.4f%n", r.meanStartDistance(),
                r.meanRelativeDistance());
        // the stated tolerance: on average within 5% of the target representation, from about 100% at the start
        assertTrue(r.meanStartDistance() > 0.3, "starts are far: " + r.meanStartDistance());
        assertTrue(r.meanRelativeDistance() < 0.05, "mean relative distance " + r.meanRelativeDistance());
        try (NDManager nd = NDManager.newBaseManager()) {
            float[] target = mlp.activations(source.images(nd, 0, 1), "penultimate").toFloatArray();
            float[] built = mlp.activations(r.dataset().images(nd, 0, 1), "penultimate").toFloatArray();
            double num = 0;
            double den = 0;
            for (int k = 0; k < target.length; k++) {
                num += (built[k] - target[k]) * (built[k] - target[k]);
                den += target[k] * target[k];
            }
            assertEquals(r.relativeDistance()[0], Math.sqrt(num / den), 1e-4, "the reported distance is the real one");
        }
        for (float v : r.dataset().pixels()) {
            assertTrue(v >= 0f && v <= 1f);
        }
    }
}
