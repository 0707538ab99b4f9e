package foil.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import foil.Foil;
import foil.FoilException;
import foil.gan.GanTrainer;
import foil.gan.NonSaturatingLoss;
import foil.gan.StyleGan;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.model.Classifier;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MixingJobTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void quiet() {
        System.setProperty("foil.quiet", "true");
    }

    /**
     * A judge that classifies by the mean brightness of the image's centre (10 bins): with an untrained StyleGAN, the
     * table must still be a proper measurement: fractions in [0, 1] that sum to at most 1 per crossover layer, and at
     * the last crossover (all but one style from the coarse source) the coarse source is kept at least as often as
     * at the first.
     */
    private static Classifier brightness() {
        return new Classifier() {
            @Override
            public Shape inputShape() {
                return new Shape(1, 12, 12);
            }

            @Override
            public int numClasses() {
                return 10;
            }

            @Override
            public ai.djl.ndarray.NDArray logits(ai.djl.ndarray.NDArray x) {
                ai.djl.ndarray.NDArray mean = x.get(":, :, 3:9, 3:9").reshape(x.getShape().get(0), -1).mean(new int[] {1});
                ai.djl.ndarray.NDArray centres = x.getManager().arange(10f).add(0.5f).div(10f);
                return mean.expandDims(1).sub(centres.expandDims(0)).abs().neg().mul(100f);
            }

            @Override
            public ai.djl.ndarray.NDArray differentiableLogits(ai.djl.ndarray.NDArray x) {
                return logits(x);
            }

            @Override
            public String describe() {
                return "brightness";
            }

            @Override
            public void close() {}
        };
    }

    @Test
    void writesTheGridTheNoiseFigureAndAMeasuredTable() throws Exception {
        Path run = dir.resolve("run");
        Files.createDirectories(run);
        foil.data.ImageDataset data = foil.testing.Synthetic.dataset(64, 1);
        StyleGan.Settings s = new StyleGan.Settings(8, 8, 2, 0.9, 4);
        GanTrainer.Options o = new GanTrainer.Options(new NonSaturatingLoss().regularized(0, 0.1f, 4), 4, 8, 1, 2e-3f,
                2e-3f, 0f, 0.99f, 1, 1000, 2);
        Foil.seed(1);
        new GanImageJob(data, o, GanImageJob.Config.stylegan(data, s, 8), 0, false).execute(RunDirectory.create(run,
                false), null);
        RunDirectory out = RunDirectory.create(dir.resolve("mix"), false);
        new MixingJob(run, 3, 4, 0, true, 40, 4, 7).execute(out, new GanImageJob.Judge(brightness(), "brightness"));
        for (String f : new String[] {"mixing.png", "noise.png", "mixing_agreement.png", "metrics.json"}) {
            assertTrue(Files.isRegularFile(dir.resolve("mix").resolve(f)), f);
        }
        JsonNode m = Json.MAPPER.readTree(dir.resolve("mix/metrics.json").toFile());
        assertEquals(4, m.get("mixing").size(), "one row per crossover layer 1..4 of 5 styles (4, 8, 16)");
        for (JsonNode row : m.get("mixing")) {
            double c = row.get("coarse_agreement").asDouble();
            double f = row.get("fine_agreement").asDouble();
            assertTrue(c >= 0 && f >= 0 && c + f <= 1 + 1e-9, row.toString());
        }
        assertThrows(FoilException.class, () -> new MixingJob(run, 3, 4, 5, true, 40, 4, 7).execute(
                RunDirectory.create(dir.resolve("bad"), false), new GanImageJob.Judge(brightness(), "brightness")));
    }
}
