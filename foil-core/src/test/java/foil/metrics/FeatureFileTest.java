package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import foil.FoilException;
import foil.io.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Feature and statistics files written by NumPy (scripts/make_fid_fixture.py), and Foil's FID, KID and
 * precision/recall/density/coverage against the values NumPy and SciPy computed there with pytorch-fid's formula,
 * the reference MMD and the prdc package's code.
 */
class FeatureFileTest {
    @TempDir
    Path dir;

    private Path fixture(String name) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = getClass().getResourceAsStream("/fid/" + name)) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    private JsonNode expected() throws IOException {
        return Json.MAPPER.readTree(getClass().getResourceAsStream("/fid/expected.json"));
    }

    @Test
    void fidAgreesWithPytorchFidsFormulaInNumpyAndScipy() throws IOException {
        FeatureFile a = FeatureFile.read(fixture("a_features.npz"));
        FeatureFile bFeatures = FeatureFile.read(fixture("b_features.npz")); // np.savez_compressed
        FeatureFile bStats = FeatureFile.read(fixture("b_stats.npz"));
        assertTrue(a.hasFeatures());
        assertFalse(bStats.hasFeatures());
        assertEquals(300, a.features().length);
        assertEquals(16, bStats.statistics().dimension());
        double want = expected().get("fid_a_b").asDouble();
        assertEquals(want, Fid.distance(a.statistics(), bStats.statistics()), 1e-4 * want);
        assertEquals(want, Fid.distance(a.statistics(), bFeatures.statistics()), 1e-4 * want);

        double low = expected().get("fid_low1_low2").asDouble(); // covariances of rank 8 and 11 in 24 dimensions
        assertEquals(low, Fid.distance(FeatureFile.read(fixture("low1_features.npz")).statistics(),
                FeatureFile.read(fixture("low2_features.npz")).statistics()), 1e-4 * low);
    }

    @Test
    void kidAndPrdcAgreeWithTheReferenceCode() throws IOException {
        float[][] a = FeatureFile.read(fixture("a_features.npz")).features();
        float[][] b = FeatureFile.read(fixture("b_features.npz")).features();
        double kid = expected().get("kid_a_b").asDouble();
        assertEquals(kid, Kid.of(a, b, 100, 1000, 0).mean(), 1e-6 * Math.abs(kid));
        JsonNode p = expected().get("prdc_a_b_k5");
        Prdc got = Prdc.of(a, b, 5);
        assertEquals(p.get("precision").asDouble(), got.precision(), 1e-6);
        assertEquals(p.get("recall").asDouble(), got.recall(), 1e-6);
        assertEquals(p.get("density").asDouble(), got.density(), 1e-6);
        assertEquals(p.get("coverage").asDouble(), got.coverage(), 1e-6);
    }

    @Test
    void statisticsAndFeaturesRoundTrip() {
        float[][] f = {{1, 2, 3}, {4, 5, 7}, {0, -1, 2}, {3, 3, 3}};
        Path stats = dir.resolve("s.npz");
        FeatureFile.writeStatistics(stats, GaussianStats.of(f));
        GaussianStats back = FeatureFile.read(stats).statistics();
        assertArrayEquals(GaussianStats.of(f).mu(), back.mu(), 0);
        for (int i = 0; i < 3; i++) {
            assertArrayEquals(GaussianStats.of(f).sigma()[i], back.sigma()[i], 0);
        }
        Path feats = dir.resolve("f.npz");
        FeatureFile.writeFeatures(feats, f);
        float[][] read = FeatureFile.read(feats).features();
        for (int i = 0; i < f.length; i++) {
            assertArrayEquals(f[i], read[i], 0);
        }
    }

    @Test
    void filesWithoutTheArraysOrCorruptOnesAreRefusedInOneLine() throws IOException {
        String msg = assertThrows(FoilException.class, () -> FeatureFile.read(fixture("not_features.npz")))
                .getMessage();
        assertTrue(msg.contains("'features'") && msg.contains("'mu'") && msg.contains("[x]"), msg);
        Path junk = dir.resolve("junk.npz");
        Files.writeString(junk, "not a zip");
        assertThrows(FoilException.class, () -> FeatureFile.read(junk));
        byte[] whole = Files.readAllBytes(fixture("a_features.npz"));
        Path cut = dir.resolve("cut.npz");
        Files.write(cut, java.util.Arrays.copyOf(whole, whole.length / 2));
        assertThrows(FoilException.class, () -> FeatureFile.read(cut));
        GaussianStats s16 = FeatureFile.read(fixture("b_stats.npz")).statistics();
        GaussianStats s24 = FeatureFile.read(fixture("low1_features.npz")).statistics();
        msg = assertThrows(FoilException.class, () -> Fid.distance(s16, s24)).getMessage();
        assertTrue(msg.contains("16") && msg.contains("24"), msg);
    }
}
