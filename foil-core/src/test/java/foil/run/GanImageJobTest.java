package foil.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import ai.djl.engine.Engine;
import foil.FoilException;
import foil.data.DataSource;
import foil.gan.Dcgan;
import foil.gan.GanLoss;
import foil.gan.GanTrainer;
import foil.gan.Truncation;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.metrics.FeatureNetwork;
import foil.metrics.FeatureSource;
import foil.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Tiny DCGAN runs on synthetic 28x28 images: what they say about the weights they sample, and what the tools that
 * load them for evaluation use and say.
 */
class GanImageJobTest {
    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    static DataSource data;

    @BeforeAll
    static void setUp() throws Exception {
        System.setProperty("foil.quiet", "true");
        System.setProperty("foil.cache", shared.resolve("cache").toString()); // the default feature network, once
        data = DataSource.locate(Synthetic.writeIdx(shared.resolve("data"), 160, 28).toString());
    }

    static GanTrainer.Options options(int iterations, float ema) {
        return new GanTrainer.Options(GanLoss.of("nonsaturating"), iterations, 16, 1, 2e-4f, 2e-4f, 0.5f, 0.999f, 1, 3,
                2).withEma(ema);
    }

    static Path train(Path out, GanTrainer.Options o) {
        RunDirectory run = RunDirectory.create(out, false);
        run.writeRun("gan train", java.util.List.of(), Map.of(), 1, Map.of());
        new GanImageJob(data.train(), o, 4, 1, false).execute(run, null);
        return out;
    }

    @Test
    void evaluationPrefersTheAverageAndSaysWhichWeightsItUsed() throws Exception {
        for (float ema : new float[] {0.9f, 0f}) {
            String weights = ema > 0 ? "ema" : "raw";
            Path run = train(dir.resolve("run-" + weights), options(4, ema));
            JsonNode m = Json.MAPPER.readTree(run.resolve("metrics.json").toFile());
            assertEquals(weights, m.get("generator_weights").asText());
            assertEquals(ema, m.get("ema_decay").floatValue());
            assertEquals(foil.gan.GanNetworks.TRAINING_MODE, m.get("sampling_mode").asText());
            FeatureSource.Generator source = new FeatureSource.Generator(run);
            assertEquals(weights, source.describe().get("generator_weights"));
            assertEquals(weights, source.sampling().get("generator_weights"));
            Path fid = dir.resolve("fid-" + weights);
            new FidJob(new FeatureSource.Dataset(data, false), source, null, "penultimate", data, 20, 3, 2, 10, 10, 5)
                    .execute(RunDirectory.create(fid, false));
            JsonNode f = Json.MAPPER.readTree(fid.resolve("metrics.json").toFile());
            assertEquals(weights, f.get("generator_weights").asText(), f.toString());
            assertEquals(foil.gan.GanNetworks.TRAINING_MODE, f.get("sampling_mode").asText());
            try (foil.gan.ImageGan nets = GanImageJob.open(run); FeatureNetwork net = FeatureNetwork.open(null, "penultimate",
                    data)) {
                assertEquals(weights, nets.generatorWeights());
                // what the source loads is the generator as opened: the average installed where there is one
                float[][] direct = FeatureSource.Generator.features(nets, net, Truncation.NONE, false, 12, 3, 6);
                float[][] loaded = source.load(net, 12, 3, 6).features();
                for (int i = 0; i < direct.length; i++) {
                    assertArrayEquals(direct[i], loaded[i], 1e-5f, "sample " + i);
                }
            }
        }
    }

    private static List<Integer> iterations(List<Map<String, Object>> series) {
        return series.stream().map(e -> ((Number) e.get("iteration")).intValue()).toList();
    }

    private static float[][] generator(Dcgan nets) {
        return nets.generatorBlock().getParameters().values().stream().map(p -> p.getArray().toFloatArray())
                .toArray(float[][]::new);
    }

    /** A run of 6 iterations evaluated every 2 (checkpoints every 3); the observer may stop it as a kill would. */
    private static GanTrainer trainer(Dcgan nets, Path out, int evalEvery) {
        GanTrainer.Options o = new GanTrainer.Options(GanLoss.of("nonsaturating"), 6, 16, 1, 2e-4f, 2e-4f, 0.5f, 0.999f,
                1, 3, 1).withEma(0.9f).withEvalEvery(evalEvery);
        return new GanTrainer(nets, GanImageJob.realData(data.train()), o, out);
    }

    /**
     * Entries at the start, every N iterations and at the end, with finite values, in eval.json and drawn; a run
     * killed after its entry at 4 but with its last checkpoint at 3 drops that entry on resume and measures it again,
     * to the same series as a run never stopped; and measuring changes nothing in the training.
     */
    @Test
    void theEvalSeriesIsAtItsIterationsAndSurvivesAResume() throws Exception {
        List<Map<String, Object>> straight;
        float[][] trainedWithEval;
        try (FeatureNetwork net = FeatureNetwork.open(null, "penultimate", data)) {
            ImageEvaluation eval = new ImageEvaluation(net, data.test(), 24, 16);
            Path a = Files.createDirectories(dir.resolve("a"));
            Engine.getInstance().setRandomSeed(1);
            try (Dcgan nets = new Dcgan(100, 1, 4)) {
                GanTrainer t = trainer(nets, a, 2);
                List<Integer> counts = new ArrayList<>();
                t.train((i, n, l) -> counts.add(nets.managedArrays()), eval);
                straight = new ArrayList<>(t.evalSeries());
                trainedWithEval = generator(nets);
                assertEquals(1, counts.subList(1, counts.size()).stream().distinct().count(),
                        "measuring leaves no arrays with the networks: " + counts);
            }
            assertEquals(List.of(0, 2, 4, 6), iterations(straight));
            for (Map<String, Object> e : straight) {
                for (String k : new String[] {"kid", "kid_std", "fid"}) {
                    double v = ((Number) e.get(k)).doubleValue();
                    assertTrue(Double.isFinite(v) && (v >= 0 || k.equals("kid")), k + " in " + e);
                }
            }
            JsonNode file = Json.MAPPER.readTree(a.resolve(GanTrainer.EVAL).toFile());
            assertEquals(4, file.get("series").size());
            assertEquals("ema", file.get("generator_weights").asText());
            assertEquals(net.name(), file.get("feature_network").asText());
            assertTrue(file.get("feature_network").asText().startsWith("Foil cnn, penultimate"));
            for (String png : new String[] {"kid.png", "fid.png"}) {
                assertTrue(Files.size(a.resolve(png)) > 1000, png);
            }

            Path b = Files.createDirectories(dir.resolve("b"));
            Engine.getInstance().setRandomSeed(1);
            try (Dcgan nets = new Dcgan(100, 1, 4)) {
                GanTrainer t = trainer(nets, b, 2);
                assertThrows(IllegalStateException.class, () -> t.train((i, n, l) -> {
                    if (i == 5) {
                        throw new IllegalStateException("killed");
                    }
                }, eval));
            }
            assertEquals(3, Json.MAPPER.readTree(b.resolve(GanTrainer.EVAL).toFile()).get("series").size(),
                    "0, 2 and 4 written before the kill");
            Engine.getInstance().setRandomSeed(99);
            try (Dcgan nets = new Dcgan(100, 1, 4)) {
                GanTrainer t = trainer(nets, b, 2);
                t.resume();
                assertEquals(3, t.iteration());
                assertEquals(List.of(0, 2), iterations(t.evalSeries()), "the entry after the checkpoint is dropped");
                assertEquals(2, Json.MAPPER.readTree(b.resolve(GanTrainer.EVAL).toFile()).get("series").size());
                t.train((i, n, l) -> { }, eval);
                assertEquals(List.of(0, 2, 4, 6), iterations(t.evalSeries()));
                for (int k = 0; k < straight.size(); k++) {
                    for (String key : new String[] {"kid", "fid"}) {
                        double want = ((Number) straight.get(k).get(key)).doubleValue();
                        double got = ((Number) t.evalSeries().get(k).get(key)).doubleValue();
                        assertEquals(want, got, 1e-6 * Math.max(1, Math.abs(want)), key + " at entry " + k);
                    }
                }
            }
            assertEquals(4, Json.MAPPER.readTree(b.resolve(GanTrainer.EVAL).toFile()).get("series").size());
        }
        Engine.getInstance().setRandomSeed(1);
        try (Dcgan nets = new Dcgan(100, 1, 4)) {
            trainer(nets, Files.createDirectories(dir.resolve("c")), 0).train((i, n, l) -> { });
            float[][] without = generator(nets);
            for (int k = 0; k < without.length; k++) {
                assertArrayEquals(without[k], trainedWithEval[k], "measuring left parameter " + k + " as it was");
            }
        }
        try (Dcgan nets = new Dcgan(100, 1, 4)) {
            GanTrainer t = trainer(nets, null, 2);
            assertThrows(FoilException.class, () -> t.train((i, n, l) -> { }), "--eval-every without an evaluator");
        }
    }

    /** The run's own metrics.json points at the series and repeats its last entry. */
    @Test
    void anImageRunWithEvalEveryWritesTheSeries() throws Exception {
        Path out = dir.resolve("run");
        RunDirectory run = RunDirectory.create(out, false);
        run.writeRun("gan train", List.of(), Map.of(), 1, Map.of());
        new GanImageJob(data.train(), options(4, 0.99f).withEvalEvery(3), 4, 1, false).execute(run, null,
                new GanImageJob.Evaluation(data, 20));
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(GanTrainer.EVAL, m.get("eval_series").asText());
        assertEquals(4, m.get("eval_last").get("iteration").asInt());
        JsonNode series = Json.MAPPER.readTree(out.resolve(GanTrainer.EVAL).toFile()).get("series");
        assertEquals(List.of(0, 3, 4), List.of(series.get(0).get("iteration").asInt(), series.get(1).get("iteration")
                .asInt(), series.get(2).get("iteration").asInt()));
        assertThrows(FoilException.class, () -> new GanImageJob(data.train(), options(4, 0f).withEvalEvery(3), 4, 1,
                false).execute(RunDirectory.create(dir.resolve("no-data"), false), null));
    }
}
