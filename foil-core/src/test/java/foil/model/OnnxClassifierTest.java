package foil.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import foil.FoilException;
import foil.attack.AttackResult;
import foil.attack.ImageRandom;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Square;
import foil.cli.Main;
import foil.io.Json;
import foil.testing.Fixtures;
import foil.testing.Synthetic;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small CNN exported by torch.onnx.export (scripts/make_onnx_fixture.py), run by ONNX Runtime: its logits
 * equal PyTorch's, the black-box attack runs on it, gradient attacks say clearly that they cannot.
 */
class OnnxClassifierTest {
    @TempDir
    Path dir;

    private Path fixture() throws IOException {
        return Fixtures.copy("onnx", "small_cnn.onnx", dir);
    }

    @Test
    void logitsEqualPyTorchsAndPyTorchStaysTheDefaultEngine() throws IOException {
        JsonNode expected = Json.MAPPER.readTree(getClass().getResourceAsStream("/onnx/small_cnn_expected.json"));
        float[] x = Fixtures.floats(expected.get("x"));
        float[] logits = Fixtures.floats(expected.get("logits"));
        try (Classifier c = Models.load(fixture(), new Shape(1, 28, 28)); NDManager m = NDManager.newBaseManager()) {
            assertTrue(c instanceof OnnxClassifier, c.describe());
            assertEquals(10, c.numClasses());
            int n = x.length / 784;
            NDArray input = m.create(x, new Shape(n, 1, 28, 28));
            for (int round = 0; round < 2; round++) {
                NDArray out = c.logits(input);
                assertEquals(m, out.getManager(), "the logits live with the input, in PyTorch's arrays");
                float[] got = out.toFloatArray();
                for (int i = 0; i < logits.length; i++) {
                    assertEquals(logits[i], got[i], 1e-4f * Math.max(1f, Math.abs(logits[i])), "logit " + i);
                }
            }
            assertEquals("PyTorch", Engine.getInstance().getEngineName(), "the default engine");
            assertEquals("PyTorch", m.getEngine().getEngineName());
        }
    }

    @Test
    void squareLowersAccuracyAndGradientAttacksSayTheyCannot() throws IOException {
        int n = 24;
        try (Classifier c = Models.load(fixture(), new Shape(1, 28, 28)); NDManager m = NDManager.newBaseManager()) {
            NDArray x = m.create(Synthetic.dataset(n, 4, 28).pixels(), new Shape(n, 1, 28, 28));
            int[] clean = c.predict(x); // the model's own answers: clean accuracy 100%
            NDArray y = m.create(clean).toType(DataType.INT64, false);
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) {
                idx[i] = i;
            }
            AttackResult r = new Square(Norm.LINF, 0.1f, 300, 0.8f).run(c, x, y, null, ImageRandom.of(0, idx));
            int fooled = 0;
            for (int i = 0; i < n; i++) {
                fooled += r.success()[i] ? 1 : 0;
                assertTrue(r.distortion().linf()[i] <= 0.1f + 1e-6f);
                assertTrue(r.queries()[i] <= 300);
            }
            assertTrue(fooled >= n / 2, "Square fooled " + fooled + " of " + n);
            String msg = assertThrows(FoilException.class, () -> Pgd.of(Norm.LINF, 0.1f, 5).run(c, x, y, null))
                    .getMessage();
            assertTrue(msg.contains("needs gradients") && msg.contains("--method square") && !msg.contains("\n"), msg);
        }
    }

    @Test
    void theCliRefusesAGradientAttackInOneLineAndRunsSquare() throws IOException {
        Path data = Synthetic.writeIdx(dir.resolve("data"), 40, 28);
        Path model = fixture();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), "attack", "--model", model.toString(), "--data",
                data.toString(), "--method", "pgd", "--eps", "0.1", "--n", "5", "--out", dir.resolve("pgd").toString());
        assertEquals(2, code, err.toString());
        String text = err.toString().strip();
        assertEquals(1, text.lines().count(), text);
        assertTrue(text.contains("needs gradients") && text.contains("square"), text);
        err = new StringWriter();
        code = Main.execute(new PrintWriter(err, true), "attack", "--model", model.toString(), "--data",
                data.toString(), "--method", "square", "--queries", "50", "--eps", "0.1", "--n", "5", "--out",
                dir.resolve("square").toString());
        assertEquals(0, code, err.toString());
        JsonNode metrics = Json.MAPPER.readTree(dir.resolve("square").resolve("metrics.json").toFile());
        assertEquals("square", metrics.get("method").asText());
        assertTrue(metrics.get("mean_queries_all").asDouble() <= 50, metrics.toString());
    }

    @Test
    void rejectsFilesThatAreNotOnnxModels() throws IOException {
        Path junk = dir.resolve("junk.onnx");
        Files.writeString(junk, "not a model");
        String msg = assertThrows(FoilException.class, () -> Models.load(junk, new Shape(1, 28, 28))).getMessage();
        assertTrue(msg.contains("not an ONNX model"), msg);
        Path model = fixture();
        assertThrows(FoilException.class, () -> Models.load(model, new Shape(3, 32, 32)));
    }
}
