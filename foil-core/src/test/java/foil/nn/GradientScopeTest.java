package foil.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.GradientCollector;
import foil.Foil;
import foil.attack.CrossEntropyGradient;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.FoilModel;
import foil.testing.Synthetic;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GradientScopeTest {
    private static final int ROUNDS = 15;

    /** Input gradients of a convolutional model's cross-entropy, for batch {@code k} of ROUNDS, by one model. */
    private static List<float[]> gradients(Path modelDir, ImageDataset data, CyclicBarrier start) throws Exception {
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1); // as a Spark task pins its thread
        List<float[]> out = new ArrayList<>();
        try (FoilModel model = FoilModel.load(modelDir)) {
            if (start != null) {
                start.await();
            }
            for (int k = 0; k < ROUNDS; k++) {
                try (NDManager m = NDManager.newBaseManager(Foil.device())) {
                    int from = (k * 8) % (data.size() - 8);
                    CrossEntropyGradient g = CrossEntropyGradient.at(model, data.images(m, from, from + 8),
                            data.labels(m, from, from + 8));
                    out.add(g.gradient().toFloatArray());
                }
            }
        } finally {
            JniUtils.setNumThreads(threads);
        }
        return out;
    }

    @Test
    void twoThreadsComputeInputGradientsAtOnceAndGetWhatOneThreadGets(@TempDir Path tmp) throws Exception {
        ImageDataset data = Synthetic.dataset(64, 5);
        Foil.seed(3);
        Path dir = tmp.resolve("cnn");
        try (FoilModel model = FoilModel.create(Architecture.CNN, data.imageShape(), 10, List.of())) {
            model.save(dir);
        }
        List<float[]> alone = gradients(dir, data, null);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CyclicBarrier start = new CyclicBarrier(2);
            Future<List<float[]>> a = pool.submit(() -> gradients(dir, data, start));
            Future<List<float[]>> b = pool.submit(() -> gradients(dir, data, start));
            List<float[]> ga = a.get();
            List<float[]> gb = b.get();
            for (int k = 0; k < ROUNDS; k++) {
                assertArrayEquals(alone.get(k), ga.get(k), 1e-6f, "batch " + k + ", first thread");
                assertArrayEquals(alone.get(k), gb.get(k), 1e-6f, "batch " + k + ", second thread");
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aScopeLeavesTheThreadsGradModeAsItWasAndWorksBesideDjlsCollector() {
        Foil.engine();
        boolean before = JniUtils.isGradMode();
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(new float[] {1f, -2f, 3f});
            x.setRequiresGradient(true);
            try (GradientCollector djl = Engine.getEngine("PyTorch").newGradientCollector();
                    GradientScope scope = GradientScope.open()) {
                scope.backward(x.mul(x).sum());
            }
            assertArrayEquals(new float[] {2f, -4f, 6f}, x.getGradient().toFloatArray(), 1e-6f);
        }
        assertEquals(before, JniUtils.isGradMode());
    }
}
