package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.FoilModel;
import foil.testing.Synthetic;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The default feature network is trained once per dataset and then read from its cache; features do not depend on
 * the batch they were computed in; and the feature space sees quality: FID and KID grow as images are noised more.
 */
class FeatureNetworkTest {
    @TempDir
    Path dir;

    @Test
    void trainedOnceCachedAndBatchIndependent() throws Exception {
        Path data = Synthetic.writeIdx(dir.resolve("data"), 600);
        DataSource source = DataSource.locate(data.toString());
        Path cache = dir.resolve("cache");
        float[][] first;
        try (FeatureNetwork net = FeatureNetwork.cached(source, cache)) {
            assertEquals("Foil cnn, penultimate", net.name().substring(0, "Foil cnn, penultimate".length()));
            ImageDataset test = source.test();
            first = net.features(test, 10, 10);
            float[][] small = net.features(test, 10, 3);
            for (int i = 0; i < 10; i++) {
                assertArrayEquals(first[i], small[i], 1e-5f, "image " + i);
            }
            assertEquals(net.dimension(), first[0].length);
            assertThrows(FoilException.class, () -> net.features(new float[5], 1, 4));
        }
        try (var files = Files.list(cache)) {
            assertEquals(1, files.count(), "one cached network, no temporary directory left");
        }
        long stamp = Files.getLastModifiedTime(Files.list(cache).findFirst().orElseThrow().resolve(
                FoilModel.PARAMS_FILE)).toMillis();
        try (FeatureNetwork again = FeatureNetwork.cached(source, cache)) {
            assertArrayEquals(first[0], again.features(source.test(), 1, 1)[0], 1e-5f);
        }
        assertEquals(stamp, Files.getLastModifiedTime(Files.list(cache).findFirst().orElseThrow().resolve(
                FoilModel.PARAMS_FILE)).toMillis(), "read from the cache, not trained again");
    }

    @Test
    void fidAndKidGrowAsImagesAreNoisedMore() throws Exception {
        Path data = Synthetic.writeIdx(dir.resolve("data"), 800);
        DataSource source = DataSource.locate(data.toString());
        try (FeatureNetwork net = FeatureNetwork.cached(source, dir.resolve("cache"))) {
            ImageDataset train = source.train();
            int n = 300;
            float[][] real = net.features(train, n, 100);
            GaussianStats realStats = GaussianStats.of(real);
            java.util.Random r = new java.util.Random(1);
            double lastFid = -1;
            double lastKid = -1;
            for (double sigma : new double[] {0.05, 0.2, 0.5}) {
                float[] px = java.util.Arrays.copyOfRange(train.pixels(), n * train.imageSize(),
                        2 * n * train.imageSize());
                for (int i = 0; i < px.length; i++) {
                    px[i] = (float) Math.min(1, Math.max(0, px[i] + sigma * r.nextGaussian()));
                }
                float[][] noised = net.features(px, n, 100);
                double fid = Fid.distance(realStats, GaussianStats.of(noised));
                double kid = Kid.of(real, noised, 1, 1000, 0).mean();
                assertTrue(fid > lastFid && kid > lastKid, "noise " + sigma + ": FID " + fid + " after " + lastFid
                        + ", KID " + kid + " after " + lastKid);
                lastFid = fid;
                lastKid = kid;
            }
        }
    }
}
