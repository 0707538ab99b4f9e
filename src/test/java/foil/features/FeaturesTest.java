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
