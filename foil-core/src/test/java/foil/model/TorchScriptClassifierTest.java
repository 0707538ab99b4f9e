package foil.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import foil.FoilException;
import foil.attack.CrossEntropyGradient;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.io.Json;
import foil.numerics.Numerics;
import foil.testing.Fixtures;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A CNN with batch norm and dropout exported by PyTorch (scripts/make_torchscript_fixture.py): Foil's logits
 * and input gradients must equal PyTorch's eval-mode ones, before and after attacks, for scripted and traced
 * modules alike.
 */
class TorchScriptClassifierTest {
    @TempDir
    Path dir;

    @AfterAll
    static void restoreTheGuardsRoute() { // loading a module may have sent the process to im2col
        Numerics.reapply();
    }

    /** PyTorch's own eval-mode numbers for four images (scripts/make_torchscript_fixture.py). */
    private record Expected(float[] x, float[] logits, float[] grad, long[] y) {
        static Expected read() throws IOException {
            JsonNode e = Json.MAPPER.readTree(TorchScriptClassifierTest.class.getResourceAsStream(
                    "/torchscript/small_cnn_expected.json"));
            long[] y = new long[e.get("y").size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = e.get("y").get(i).asLong();
            }
            return new Expected(Fixtures.floats(e.get("x")), Fixtures.floats(e.get("logits")),
                    Fixtures.floats(e.get("grad")), y);
        }
    }

    private Path fixture(String name) throws IOException {
        return Fixtures.copy("torchscript", name, dir);
    }

    @Test
    void attackPathEqualsEvalModeForScriptedAndTracedModules() throws IOException {
        Expected want = Expected.read();
        foil.testing.Threads.atOneAndTwo(threads -> {
            try {
                checkFixtures(want.x(), want.logits(), want.grad(), want.y(), threads);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The same numbers with inputs laid out channels last, forced whatever the load-time check would decide. */
    @Test
    void channelsLastInputsGivePyTorchsNumbers() throws IOException {
        Expected want = Expected.read();
        foil.testing.Threads.atOneAndTwo(threads -> {
            for (String file : new String[] {"small_cnn_scripted.pt", "small_cnn_traced.pt"}) {
                try (TorchScriptClassifier c = TorchScriptClassifier.load(fixture(file), new Shape(1, 28, 28), true);
                        NDManager m = NDManager.newBaseManager()) {
                    assertTrue(c.channelsLast());
                    NDArray input = m.create(want.x(), new Shape(4, 1, 28, 28));
                    String at = file + " channels last at " + threads + " thread(s) on " + Numerics.status().route();
                    assertClose(want.logits(), c.logits(input).toFloatArray(), 1e-4f, at + " logits");
                    CrossEntropyGradient g = CrossEntropyGradient.at(c, input, m.create(want.y()));
                    assertClose(want.grad(), g.gradient().toFloatArray(), 1e-4f, at + " input gradient");
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        });
    }

    private void checkFixtures(float[] x, float[] logits, float[] grad, long[] y, int threads) throws IOException {
        for (String file : new String[] {"small_cnn_scripted.pt", "small_cnn_traced.pt"}) {
            try (Classifier c = Models.load(fixture(file), new Shape(1, 28, 28));
                    NDManager m = NDManager.newBaseManager()) {
                assertEquals(10, c.numClasses());
                NDArray input = m.create(x, new Shape(4, 1, 28, 28));
                for (int round = 0; round < 3; round++) { // repeated calls must not drift into train mode
                    String at = file + " at " + threads + " thread(s)";
                    assertClose(logits, c.logits(input).toFloatArray(), 1e-4f, at + " eval logits");
                    CrossEntropyGradient g = CrossEntropyGradient.at(c, input, m.create(y));
                    assertClose(logits, g.logits().toFloatArray(), 1e-4f, at + " attack-path logits");
                    assertClose(grad, g.gradient().toFloatArray(), 1e-4f, at + " input gradient");
                    Pgd.of(Norm.LINF, 0.05f, 3).run(c, input, m.create(y), null);
                }
            }
        }
    }

    private static void assertClose(float[] want, float[] got, float tol, String what) {
        assertEquals(want.length, got.length, what);
        for (int i = 0; i < want.length; i++) {
            assertEquals(want[i], got[i], tol * Math.max(1f, Math.abs(want[i])), what + " at " + i);
        }
    }

    @Test
    void rejectsFilesThatAreNotModels() throws IOException {
        Path junk = dir.resolve("junk.pt");
        Files.writeString(junk, "not a model");
        String msg = assertThrows(FoilException.class, () -> Models.load(junk, new Shape(1, 28, 28))).getMessage();
        assertTrue(msg.contains("not a TorchScript model"), msg);
        Path emptyDir = Files.createDirectories(dir.resolve("notamodel"));
        msg = assertThrows(FoilException.class, () -> Models.load(emptyDir, new Shape(1, 28, 28))).getMessage();
        assertTrue(msg.contains("not a Foil model"), msg);
        Path wrongShape = fixture("small_cnn_traced.pt");
        assertThrows(FoilException.class, () -> Models.load(wrongShape, new Shape(3, 32, 32)));
    }
}
