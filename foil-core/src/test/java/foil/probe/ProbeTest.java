package foil.probe;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.testing.Synthetic;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProbeTest {
    @Test
    void topImagesAreTheLargestActivationsAndSynthesisBeatsThem() {
        ImageDataset data = Synthetic.dataset(200, 3);
        Engine.getInstance().setRandomSeed(1);
        try (FoilModel m = FoilModel.create(Architecture.MLP, data.imageShape(), 10, List.of())) {
            ClassifierTrainer.train(m, data, new TrainOptions(3, 32, 1e-2f, 0f, 1), null);
            assertEquals("relu2", m.resolveLayer("penultimate"));
            int dims = Probe.units(m, "penultimate");
            assertEquals(100, dims);
            int unit = Probe.liveUnits(m, "relu2", data, 64).get(0);
            Direction random = Direction.random(7, dims);
            double norm = 0;
            for (float v : random.vector()) {
                norm += v * v;
            }
            assertEquals(1.0, norm, 1e-5);
            assertArrayEquals(random.vector(), Direction.random(7, dims).vector(), "same seed, same direction");
            List<Probe.Row> rows = Probe.top(m, "relu2", List.of(Direction.unit(unit, dims), random), data, 5, 64);
            // brute force: every image's activation of the unit, and its projection on the random direction
            float[] act;
            try (NDManager nd = NDManager.newBaseManager()) {
                act = m.activations(data.images(nd, 0, data.size()), "relu2").toFloatArray();
            }
            for (int r = 0; r < 2; r++) {
                Probe.Row row = rows.get(r);
                float[] proj = new float[data.size()];
                for (int i = 0; i < data.size(); i++) {
                    for (int d = 0; d < dims; d++) {
                        proj[i] += act[i * dims + d] * rows.get(r).direction().vector()[d];
                    }
                }
                float[] sorted = proj.clone();
                java.util.Arrays.sort(sorted);
                for (int k = 0; k < 5; k++) {
                    assertEquals(sorted[sorted.length - 1 - k], row.projections()[k], 1e-3f, "rank " + k);
                    assertEquals(proj[row.indices()[k]], row.projections()[k], 1e-3f);
                    assertEquals(data.labels()[row.indices()[k]], row.labels()[k]);
                }
                assertTrue(row.purity() > 0 && row.purity() <= 1);
            }
            Synthesis.Result s = new Synthesis(100, 0.5f, 0.05f).run(m, "relu2", Direction.unit(unit, dims), 0);
            for (float v : s.image()) {
                assertTrue(v >= 0f && v <= 1f);
            }
            assertTrue(s.projection() > rows.get(0).projections()[0],
                    "gradient ascent excites the unit more than any test image: " + s.projection() + " vs "
                            + rows.get(0).projections()[0]);
        }
    }
}
