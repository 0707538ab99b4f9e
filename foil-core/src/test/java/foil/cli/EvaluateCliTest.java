package foil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import foil.io.Json;
import foil.testing.Synthetic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** foil evaluate (whole, sharded and merged) and foil verify through the CLI, with their bad input. */
class EvaluateCliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    static CliTest.Run foil(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), args);
        return new CliTest.Run(code, err.toString());
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        System.setProperty("foil.quiet", "true");
        data = Synthetic.writeIdx(dir.resolve("data"), 300);
        model = dir.resolve("model");
        CliTest.Run r = foil("train", "--data", data.toString(), "--arch", "mlp", "--epochs", "10", "--batch", "30",
                "--lr", "0.01", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    private String[] evaluate(String out, String... more) {
        String[] base = {"evaluate", "--model", model.toString(), "--data", data.toString(), "--eps", "0.05,0.1",
            "--attacks", "apgd-ce,apgd-t", "--n", "40", "--batch", "20", "--unbounded-n", "10", "--out",
            dir.resolve(out).toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void shardsMergeIntoExactlyTheWholeRun() throws Exception {
        assertEquals(0, foil(evaluate("whole", "--save-examples")).code());
        for (String f : new String[] {"per_image.csv", "metrics.json", "run.json", "robust_accuracy.png",
            "examples.npz", "evaluation.json"}) {
            assertTrue(Files.isRegularFile(dir.resolve("whole").resolve(f)), f);
        }
        assertEquals(0, foil(evaluate("s1", "--shard", "1/2")).code());
        assertEquals(0, foil(evaluate("s2", "--shard", "2/2")).code());
        CliTest.Run missing = foil("evaluate", "--merge", dir.resolve("s1").toString(), "--out",
                dir.resolve("bad-merge").toString());
        assertEquals(2, missing.code(), missing.err());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        CliTest.Run merged = foil("evaluate", "--merge", dir.resolve("s2").toString(), dir.resolve("s1").toString(),
                "--out", dir.resolve("merged").toString());
        assertEquals(0, merged.code(), merged.err());
        assertEquals(Files.readString(dir.resolve("whole/per_image.csv")),
                Files.readString(dir.resolve("merged/per_image.csv")));
        JsonNode whole = Json.MAPPER.readTree(dir.resolve("whole/metrics.json").toFile());
        JsonNode m = Json.MAPPER.readTree(dir.resolve("merged/metrics.json").toFile());
        for (String k : new String[] {"n", "clean_accuracy", "results", "warnings", "checks"}) {
            assertEquals(whole.get(k), m.get(k), k);
        }
        assertEquals(2, whole.get("results").size());
        assertEquals("apgd-t", whole.get("results").get(1).get("per_attack").get(1).get("attack").asText());
    }

    @Test
    void sparkWithoutTheSparkModuleIsOneLineAndExitCode2() {
        System.setProperty("foil.spark.jar", dir.resolve("no-such-foil-spark.jar").toString());
        try {
            CliTest.Run r = foil(evaluate("spark", "--spark", "local[2]"));
            assertEquals(2, r.code(), r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains("not built"), r.err());
            CliTest.Run sharded = foil(evaluate("spark", "--spark", "local[2]", "--shard", "1/2"));
            assertEquals(2, sharded.code(), sharded.err());
            CliTest.Run parts = foil(evaluate("spark", "--partitions", "2"));
            assertEquals(2, parts.code(), parts.err());
        } finally {
            System.clearProperty("foil.spark.jar");
        }
        assertTrue(!Files.exists(dir.resolve("spark")), "nothing written");
    }

    @Test
    void verifyPassesFailsAndReportsAsJunit() throws Exception {
        String[] common = {"verify", "--model", model.toString(), "--data", data.toString(), "--eps", "0.05",
            "--attacks", "apgd-ce", "--n", "40", "--no-checks"};
        CliTest.Run pass = foil(concat(common, "--min-robust-accuracy", "0", "--out", dir.resolve("v0").toString()));
        assertEquals(0, pass.code(), pass.err());
        String xml = Files.readString(dir.resolve("v0/verify.xml"));
        assertTrue(xml.contains("failures=\"0\"") && xml.contains("<testcase"), xml);
        CliTest.Run fail = foil(concat(common, "--min-robust-accuracy", "1", "--min-clean-accuracy", "0.5", "--out",
                dir.resolve("v1").toString()));
        assertEquals(1, fail.code(), fail.err());
        assertTrue(Files.readString(dir.resolve("v1/verify.xml")).contains("<failure"));
        CliTest.Run bad = foil(concat(common, "--min-robust-accuracy", "70", "--out", dir.resolve("v2").toString()));
        assertEquals(2, bad.code(), bad.err());
    }

    @Test
    void badInputGetsOneLineAndExitCodeTwo() {
        String[][] cases = {
            evaluate("b1", "--shard", "3/2"),
            {"evaluate", "--model", model.toString(), "--data", data.toString(), "--eps", "-0.1", "--out",
                dir.resolve("b2").toString()},
            {"evaluate", "--model", model.toString(), "--data", data.toString(), "--eps", "0.1", "--attacks",
                "apgd-ce,fab", "--out", dir.resolve("b3").toString()},
            {"evaluate", "--data", data.toString(), "--eps", "0.1", "--out", dir.resolve("b4").toString()},
            {"evaluate", "--merge", dir.resolve("nowhere").toString(), "--out", dir.resolve("b5").toString()},
        };
        for (String[] c : cases) {
            CliTest.Run r = foil(c);
            assertEquals(2, r.code(), String.join(" ", c) + ": " + r.err());
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().startsWith("foil: "), r.err());
        }
    }

    @Test
    void aModelWithoutGradientsIsEvaluatedByBlackBoxAttacksOnly() throws Exception {
        Path data28 = Synthetic.writeIdx(dir.resolve("data28"), 40, 28);
        Path onnx = foil.testing.Fixtures.copy("onnx", "small_cnn.onnx", dir);
        String[] base = {"evaluate", "--model", onnx.toString(), "--data", data28.toString(), "--eps", "0.1", "--n",
            "10"};
        CliTest.Run refused = foil(concat(base, "--out", dir.resolve("onnx-standard").toString()));
        assertEquals(2, refused.code(), refused.err());
        assertTrue(refused.err().contains("no gradients") && refused.err().contains("--attacks square"),
                refused.err());
        CliTest.Run r = foil(concat(base, "--attacks", "square", "--out", dir.resolve("onnx-square").toString()));
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(dir.resolve("onnx-square/metrics.json").toFile());
        assertEquals(1, m.get("per_attack").size());
        assertTrue(!m.get("checks").has("zero_gradients") && m.get("checks").has("outputs_probabilities"),
                m.get("checks").toString());
    }

    private static String[] concat(String[] a, String... b) {
        String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, all, a.length, b.length);
        return all;
    }
}
