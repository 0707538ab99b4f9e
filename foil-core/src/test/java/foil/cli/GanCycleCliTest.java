package foil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import foil.gan.GanTrainer;
import foil.io.Json;
import foil.testing.Synthetic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code foil gan cycle} end to end on synthetic 16×16 IDX data (classes 0 and 1 as the domains), and its bad input. */
class GanCycleCliTest {
    @TempDir
    static Path dir;
    static Path data;

    record Run(int code, String err) {}

    static Run foil(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), args);
        return new Run(code, err.toString());
    }

    @BeforeAll
    static void data() throws Exception {
        System.setProperty("foil.quiet", "true");
        System.setProperty("foil.cache", dir.resolve("cache").toString());
        data = Synthetic.writeIdx(dir.resolve("data"), 200, 16);
    }

    private String[] cycle(Path out, String... more) {
        String[] base = {"gan", "cycle", "--domains", data + ":0", data + ":1", "--iters", "6", "--batch", "2",
            "--width", "4", "--blocks", "1", "--checkpoint-every", "3", "--eval-n", "10", "--out", out.toString()};
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    @Test
    void trainsMeasuresAndResumes() throws Exception {
        Path out = dir.resolve("cycle");
        Run r = foil(cycle(out));
        assertEquals(0, r.code(), r.err());
        for (String f : new String[] {"run.json", "metrics.json", "metrics.jsonl", "checkpoint.bin", "cycle.json",
            "grid-a2b.png", "grid-b2a.png", "losses.png"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        for (String k : new String[] {"target_accuracy_a_to_b", "target_accuracy_b_to_a", "cycle_l1_a", "cycle_l1_b",
            "kid_a_to_b", "kid_b_to_a"}) {
            assertTrue(m.has(k) && m.get(k).isNumber(), k + " in " + m);
        }
        for (String k : new String[] {"target_accuracy_a_to_b", "target_accuracy_b_to_a"}) {
            assertTrue(m.get(k).asDouble() >= 0 && m.get(k).asDouble() <= 1, k);
        }
        assertTrue(m.get("cycle_l1_a").asDouble() > 0 && m.get("cycle_l1_a").asDouble() < 1);
        assertEquals(6, m.get("iterations").asInt());
        assertEquals(5, m.get("details").get("a_to_b").get("n").asInt(), "--eval-n 10, but the test split has 5 of class 0");
        JsonNode run = Json.MAPPER.readTree(out.resolve("run.json").toFile());
        assertEquals("gan cycle", run.get("command").asText());
        assertEquals("[0]", run.get("data").get("a").get("classes").toString());
        assertEquals(6, GanTrainer.readLog(out).size());

        // the same run given 9 iterations (its run.json rewritten) resumes from its checkpoint at 6 and goes on to 9
        Path longer = dir.resolve("longer");
        Files.createDirectories(longer);
        try (var files = Files.list(out)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Files.copy(f, longer.resolve(f.getFileName()));
            }
        }
        Files.writeString(longer.resolve("run.json"), Files.readString(out.resolve("run.json"))
                .replace("\"--iters\", \"6\"", "\"--iters\", \"9\"").replace(out.toString(), longer.toString()));
        Run again = foil("gan", "cycle", "--resume", longer.toString());
        assertEquals(0, again.code(), again.err());
        assertEquals(9, Json.MAPPER.readTree(longer.resolve("metrics.json").toFile()).get("iterations").asInt());
        assertEquals(9, GanTrainer.readLog(longer).size(), "the log kept its 6 lines and added 3");
        assertEquals(7, ((Number) GanTrainer.readLog(longer).get(6).get("iteration")).intValue());
    }

    @Test
    void badInputGetsOneLineAndExitCode2() {
        Path out = dir.resolve("bad");
        String[][] cases = {
            {"gan", "cycle", "--domains", data + ":0", data + ":12", "--out", out.toString()},
            {"gan", "cycle", "--domains", data + ":0", "no-such-data", "--out", out.toString()},
            {"gan", "cycle", "--domains", data + ":0", data + ":x", "--out", out.toString()},
            {"gan", "cycle", "--domains", data + ":0", data + ":1", "--iters", "-1", "--out", out.toString()},
            {"gan", "cycle", "--domains", data + ":0", data + ":1", "--judge", dir.resolve("none").toString(),
                "--out", out.toString()},
            {"gan", "cycle", "--domains", data + ":0", data + ":1"},
            {"gan", "cycle", "--resume", dir.resolve("nothing").toString()},
        };
        String[] expected = {"out of range", "unknown dataset", "class numbers", "must be positive", "does not exist",
            "--out", "nothing to resume"};
        for (int i = 0; i < cases.length; i++) {
            Run r = foil(cases[i]);
            assertEquals(2, r.code(), String.join(" ", cases[i]) + ": " + r.err());
            assertTrue(r.err().contains(expected[i]), r.err());
            assertEquals(1, r.err().strip().lines().filter(l -> l.startsWith("foil:") && !l.contains("oneDNN"))
                    .count(), r.err());
        }
        assertFalse(Files.exists(out.resolve("run.json")), "nothing was written for bad input");
    }
}
