package foil.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
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
import java.nio.file.Path;
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
            try (Dcgan nets = GanImageJob.open(run); FeatureNetwork net = FeatureNetwork.open(null, "penultimate",
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
}
