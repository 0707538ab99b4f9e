package foil.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import foil.attack.CrossEntropyGradient;
import foil.model.Classifier;
import foil.model.Models;
import foil.io.Json;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A program of a user's own that calls Foil's Java API and nothing else (no CLI, no test set-up): a fresh JVM
 * loads the TorchScript fixture and takes its input gradient. The guard must have run before that gradient, and
 * the gradient must be PyTorch's, at one and at two threads.
 */
class ApiUserTest {
    @TempDir
    Path dir;

    /** The user's program: prints the guard's status, then the largest gradient error at each thread count. */
    public static void main(String[] args) throws Exception {
        JsonNode expected = Json.MAPPER.readTree(Path.of(args[1]).toFile());
        float[] x = floats(expected.get("x"));
        float[] grad = floats(expected.get("grad"));
        long[] y = new long[expected.get("y").size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = expected.get("y").get(i).asLong();
        }
        System.out.println("before: " + (Numerics.status() == null ? "no guard yet" : "guard ran"));
        try (Classifier c = Models.load(Path.of(args[0]), new Shape(1, 28, 28)); NDManager m = NDManager.newBaseManager()) {
            System.out.println("guard: passed=" + Numerics.status().passed() + " oneDnn=" + Numerics.status().oneDnn());
            for (int threads : new int[] {1, 2}) {
                ai.djl.pytorch.jni.JniUtils.setNumThreads(threads);
                float[] got = CrossEntropyGradient.at(c, m.create(x, new Shape(4, 1, 28, 28)), m.create(y)).gradient()
                        .toFloatArray();
                double worst = 0;
                for (int i = 0; i < got.length; i++) {
                    worst = Math.max(worst, Math.abs(got[i] - grad[i]) / Math.max(1, Math.abs(grad[i])));
                }
                System.out.println("threads " + threads + " error " + worst);
            }
        }
    }

    private static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }

    private Path resource(String name) throws Exception {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/torchscript/" + name)) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    @Test
    void aUsersOwnProgramGetsPyTorchsGradientsAtOneAndTwoThreads() throws Exception {
        Path model = resource("small_cnn_scripted.pt");
        Path expected = resource("small_cnn_expected.json");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dai.djl.offline=true", "-cp", System.getProperty("java.class.path"), ApiUserTest.class.getName(),
                model.toString(), expected.toString()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("before: no guard yet"), out);
        assertTrue(out.contains("guard: passed=true"), out);
        for (String line : out.lines().filter(l -> l.startsWith("threads ")).toList()) {
            assertTrue(Double.parseDouble(line.substring(line.indexOf("error ") + 6)) < 1e-4, out);
        }
        assertEquals(2, out.lines().filter(l -> l.startsWith("threads ")).count(), out);
    }
}
