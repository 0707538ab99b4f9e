package foil.spark;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.JsonNode;
import foil.Foil;
import foil.cli.Main;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.ImageResult;
import foil.eval.PerImageTable;
import foil.io.Json;
import foil.testing.Synthetic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Spark jobs in local mode on one and two partitions against Foil's single-machine commands (at one PyTorch
 * thread, as each Spark task runs): the same predictions, distortions and images to 1e-6, the same figures; the
 * sweep's table and chart; bad input as one line and exit code 2.
 */
class SparkJobsTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    record Run(int code, String err) {}


    static Run spark(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new SparkMain(), new PrintWriter(err, true), args);
        return new Run(code, err.toString());
    }

    /** Foil's single-machine command at one PyTorch thread, as a Spark task runs. */
    static Run foil(String... args) {
        Foil.engine();
        int threads = JniUtils.getNumThreads();
        JniUtils.setNumThreads(1);
        try {
            StringWriter err = new StringWriter();
            int code = Main.execute(new PrintWriter(err, true), args);
            return new Run(code, err.toString());
        } finally {
            JniUtils.setNumThreads(threads);
        }
    }

    @BeforeAll
    static void trainOnce() {
        System.setProperty("foil.quiet", "true");
        try {
            data = Synthetic.writeIdx(dir.resolve("data"), 240);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        model = dir.resolve("model");
        Run r = foil("train", "--data", data.toString(), "--arch", "mlp", "--epochs", "10", "--batch", "30", "--lr",
                "0.01", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    private static String[] with(String[] base, String... more) {
        String[] all = java.util.Arrays.copyOf(base, base.length + more.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return all;
    }

    private static void assertSameRows(List<ImageResult> expected, List<ImageResult> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            ImageResult e = expected.get(i);
            ImageResult a = actual.get(i);
            String what = "image " + e.index() + " at eps " + e.eps();
            assertEquals(e.index(), a.index(), what);
            assertEquals(e.cleanPrediction(), a.cleanPrediction(), what);
            assertEquals(e.adversarialPrediction(), a.adversarialPrediction(), what);
            assertEquals(e.fooledBy(), a.fooledBy(), what);
            assertEquals(e.linf(), a.linf(), 1e-6, what);
            assertEquals(e.l2(), a.l2(), 1e-6, what);
            assertEquals(e.gradient(), a.gradient(), what);
            assertEquals(e.pgdFooled(), a.pgdFooled(), what);
            assertEquals(e.singleStepFooled(), a.singleStepFooled(), what);
            assertEquals(e.unboundedFooled(), a.unboundedFooled(), what);
        }
    }

    @Test
    void theCoresPtNDManagerShadowsDjls() {
        assertTrue(foil.numerics.OwnedTensors.active(), "DJL's pytorch-engine jar came before the core's classes");
    }

    @Test
    void evaluateOnOneAndTwoPartitionsGivesTheSingleMachineRowsAndFigures() throws Exception {
        String[] base = {"evaluate", "--model", model.toString(), "--data", data.toString(), "--eps", "0.05,0.1",
            "--attacks", "apgd-ce,apgd-t", "--n", "40", "--batch", "10", "--unbounded-n", "10", "--seed", "3",
            "--quiet"};
        Run single = foil(with(base, "--out", dir.resolve("eval-single").toString()));
        assertEquals(0, single.code(), single.err());
        List<ImageResult> expected = PerImageTable.read(dir.resolve("eval-single/per_image.csv"));
        JsonNode figures = Json.MAPPER.readTree(dir.resolve("eval-single/metrics.json").toFile());
        for (String[] mode : new String[][] {{"local[1]", "1"}, {"local[2]", "2"}}) {
            Path out = dir.resolve("eval-" + mode[1]);
            Run r = spark(with(base, "--spark", mode[0], "--partitions", mode[1], "--out", out.toString()));
            assertEquals(0, r.code(), r.err());
            assertSameRows(expected, PerImageTable.read(out.resolve("per_image.csv")));
            JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
            for (String k : new String[] {"n", "clean_accuracy", "results", "warnings", "checks", "eps_list",
                "attacks", "images", "shard"}) {
                assertEquals(figures.get(k), m.get(k), k);
            }
            assertEquals(Integer.parseInt(mode[1]), m.get("spark").get("partitions").asInt());
            for (String f : new String[] {"run.json", "evaluation.json", "robust_accuracy.png"}) {
                assertTrue(Files.isRegularFile(out.resolve(f)), f);
            }
            List<ImageResult> parquet = new ArrayList<>();
            try (SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                    .getOrCreate()) {
                for (Row row : s.read().parquet(out.resolve(EvaluateJob.PARQUET).toString()).collectAsList()) {
                    parquet.add(EvaluateJob.result(row));
                }
            }
            parquet.sort(Comparator.comparingInt(ImageResult::index).thenComparingDouble(ImageResult::eps));
            assertSameRows(expected, parquet);
        }
        assertFalse(Files.list(dir).anyMatch(p -> p.getFileName().toString().contains(".tmp-")),
                "no staging directory left");
    }

    @Test
    void datasetsOnOneAndTwoPartitionsAreTheSingleMachineDatasets() throws Exception {
        String[][] commands = {
            {"features", "robust-dataset", "--steps", "5", "--step-size", "0.3"},
            {"features", "nonrobust-dataset", "--eps", "1", "--steps", "5"}};
        for (String[] command : commands) {
            String[] base = with(command, "--model", model.toString(), "--data", data.toString(), "--n", "50",
                    "--batch", "20", "--seed", "4", "--quiet");
            String name = command[1];
            Run single = foil(with(base, "--out", dir.resolve(name + "-single").toString()));
            assertEquals(0, single.code(), single.err());
            ImageDataset expected = DataSource.locate(dir.resolve(name + "-single").toString()).train();
            JsonNode figures = Json.MAPPER.readTree(dir.resolve(name + "-single/metrics.json").toFile());
            for (String[] mode : new String[][] {{"local[1]", "1"}, {"local[2]", "2"}}) {
                Path out = dir.resolve(name + "-" + mode[1]);
                Run r = spark(with(base, "--spark", mode[0], "--partitions", mode[1], "--out", out.toString()));
                assertEquals(0, r.code(), name + ": " + r.err());
                ImageDataset built = DataSource.locate(out.toString()).train(); // as any --data DIR command reads it
                assertArrayEquals(expected.labels(), built.labels(), name);
                assertArrayEquals(expected.pixels(), built.pixels(), 1e-6f, name);
                assertEquals(DataSource.locate(data.toString()).test().size(),
                        DataSource.locate(out.toString()).test().size(), "the test set beside it");
                JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
                for (String k : new String[] {"n", "target_rate", "mean_l2", "mean_relative_distance",
                    "max_relative_distance"}) {
                    if (figures.has(k)) {
                        assertEquals(figures.get(k).asDouble(), m.get(k).asDouble(), 1e-6, name + " " + k);
                    }
                }
                assertTrue(Files.isRegularFile(out.resolve("examples.png")));
                assertTrue(Files.isRegularFile(out.resolve("run.json")));
                try (SparkSession s = SparkSession.builder().master("local[1]").config("spark.ui.enabled", "false")
                        .getOrCreate()) {
                    List<Row> rows = s.read().parquet(out.resolve(DatasetJob.PARQUET).toString()).orderBy("index")
                            .collectAsList();
                    assertEquals(50, rows.size());
                    Row r7 = rows.get(7);
                    assertEquals(expected.labels()[7], r7.getInt(r7.fieldIndex("label")));
                    List<Float> px = r7.getList(r7.fieldIndex("pixels"));
                    assertEquals(expected.imageSize(), px.size());
                    assertEquals(expected.pixels()[7 * expected.imageSize() + 5], px.get(5), 1e-6f);
                }
            }
        }
    }

    @Test
    void sweepTrainsEveryRunOfTheGridAndGathersThemIntoOneTableAndChart() throws Exception {
        Path out = dir.resolve("sweep");
        Run r = spark("sweep", "--loss", "minimax,wgan-gp", "--lr", "1e-3,1e-4", "--seeds", "0", "--spark",
                "local[2]", "--quiet", "--out", out.toString(), "--", "--iters", "20", "--log-every", "10",
                "--batch", "64", "--hidden", "16");
        assertEquals(0, r.code(), r.err());
        List<String> table = Files.readAllLines(out.resolve(SweepJob.TABLE));
        assertEquals(5, table.size(), String.join("\n", table));
        assertTrue(table.get(0).contains("modes_covered"), table.get(0));
        assertTrue(Files.size(out.resolve(SweepJob.CHART)) > 1000);
        try (var runs = Files.list(out.resolve(SweepJob.RUNS))) {
            List<Path> dirs = runs.toList();
            assertEquals(4, dirs.size());
            for (Path d : dirs) {
                assertTrue(Files.isRegularFile(d.resolve("metrics.json")), d.toString());
                assertTrue(Files.isRegularFile(d.resolve("run.json")), d.toString());
            }
        }
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(4, m.get("runs").asInt());
        assertEquals(0, m.get("failed").size());
        assertNotNull(m.get("by_setting").get(0).get("mean"));
        assertTrue(Files.isRegularFile(out.resolve("run.json")));
    }

    @Test
    void badInputIsOneLineAndExitCode2() {
        Path out = dir.resolve("bad");
        Run missing = spark("evaluate", "--model", dir.resolve("no-model").toString(), "--data", data.toString(),
                "--eps", "0.1", "--spark", "local[1]", "--out", out.toString());
        assertEquals(2, missing.code(), missing.err());
        assertEquals(1, missing.err().strip().lines().filter(l -> l.startsWith("foil:")).count(), missing.err());
        Run eps = spark("evaluate", "--model", model.toString(), "--data", data.toString(), "--eps", "x",
                "--spark", "local[1]", "--out", out.toString());
        assertEquals(2, eps.code(), eps.err());
        Run noMaster = spark("evaluate", "--model", model.toString(), "--data", data.toString(), "--eps", "0.1",
                "--out", out.toString());
        assertEquals(2, noMaster.code(), noMaster.err());
        Run lr = spark("sweep", "--loss", "minimax", "--lr", "fast", "--spark", "local[1]", "--out", out.toString());
        assertEquals(2, lr.code(), lr.err());
        Run memory = spark("sweep", "--loss", "minimax", "--lr", "1e-3", "--run-memory", "lots", "--spark",
                "local[1]", "--out", out.toString());
        assertEquals(2, memory.code(), memory.err());
        assertFalse(Files.exists(out), "nothing written");
    }
}
