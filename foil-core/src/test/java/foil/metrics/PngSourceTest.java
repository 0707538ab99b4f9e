package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.data.PngFolder;
import foil.report.Png;
import foil.testing.Synthetic;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A folder of PNGs written from a dataset's images is the same source as the dataset: the same features, whether
 * the PNGs are stored gray or RGB; an image of another size stops with one line naming it and the size wanted.
 */
class PngSourceTest {
    @TempDir
    Path dir;

    /** The first {@code n} images of {@code d} as PNGs 000.png, 001.png, ..., gray or with r = g = b. */
    private static Path write(ImageDataset d, int n, Path folder, boolean rgb) throws Exception {
        Files.createDirectories(folder);
        for (int i = 0; i < n; i++) {
            BufferedImage image = new BufferedImage(d.width(), d.height(), rgb ? BufferedImage.TYPE_INT_RGB
                    : BufferedImage.TYPE_BYTE_GRAY);
            for (int y = 0; y < d.height(); y++) {
                for (int x = 0; x < d.width(); x++) {
                    int v = Math.round(d.pixels()[i * d.imageSize() + y * d.width() + x] * 255);
                    if (rgb) {
                        image.setRGB(x, y, v << 16 | v << 8 | v);
                    } else {
                        image.getRaster().setSample(x, y, 0, v);
                    }
                }
            }
            Png.write(image, folder.resolve(String.format("%03d.png", i)));
        }
        return folder;
    }

    @Test
    void pngsOfDatasetImagesHaveTheDatasetsFeatures() throws Exception {
        Path data = Synthetic.writeIdx(dir.resolve("data"), 600);
        DataSource source = DataSource.locate(data.toString());
        ImageDataset test = source.test();
        int n = 12;
        Path gray = write(test, n, dir.resolve("gray"), false);
        Path rgb = write(test, n, dir.resolve("rgb"), true);
        assertInstanceOf(FeatureSource.Dataset.class, FeatureSource.parse(data.toString()));
        assertInstanceOf(FeatureSource.Images.class, FeatureSource.parse(gray.toString()));
        assertEquals(n, FeatureSource.parse(rgb.toString()).describe().get("png_files"));
        try (FeatureNetwork net = FeatureNetwork.cached(source, dir.resolve("cache"))) {
            float[][] want = new FeatureSource.Dataset(source, false).load(net, n, 0, 5).features();
            for (Path folder : new Path[] {gray, rgb}) {
                float[][] got = FeatureSource.parse(folder.toString()).load(net, 100, 0, 5).features();
                assertEquals(n, got.length, "all the folder's images when fewer than asked for");
                for (int i = 0; i < n; i++) {
                    assertArrayEquals(want[i], got[i], 1e-5f, folder.getFileName() + ", image " + i);
                }
            }
            assertEquals(4, FeatureSource.parse(gray.toString()).load(net, 4, 0, 5).features().length);

            Path bad = write(test, 3, dir.resolve("bad"), false);
            Png.write(new BufferedImage(test.width() + 1, test.height(), BufferedImage.TYPE_BYTE_GRAY),
                    bad.resolve("002.png"));
            FoilException e = assertThrows(FoilException.class,
                    () -> FeatureSource.parse(bad.toString()).load(net, 10, 0, 5));
            assertTrue(e.getMessage().contains("002.png") && e.getMessage().contains("13x12 pixels")
                    && e.getMessage().contains("must be 12x12"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), "one line");
        }
    }

    @Test
    void grayRgbAndPalettesConvertToTheChannelsWanted() throws Exception {
        BufferedImage rgb = new BufferedImage(2, 1, BufferedImage.TYPE_INT_RGB);
        rgb.setRGB(0, 0, 255 << 16 | 0 << 8 | 51);
        rgb.setRGB(1, 0, 102 << 16 | 102 << 8 | 102);
        Png.write(rgb, dir.resolve("a.png"));
        BufferedImage gray = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_GRAY);
        gray.getRaster().setSample(0, 0, 0, 17);
        gray.getRaster().setSample(1, 0, 0, 200);
        Png.write(gray, dir.resolve("b.png"));
        BufferedImage palette = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED);
        palette.setRGB(0, 0, 0xFFFFFF);
        palette.setRGB(1, 0, 0);
        Png.write(palette, dir.resolve("c.png"));
        PngFolder folder = new PngFolder(dir);
        assertTrue(PngFolder.holdsImages(dir));
        float[] three = folder.read(3, 3, 1, 2);
        assertArrayEquals(new float[] {1, 102 / 255f, 0, 102 / 255f, 51 / 255f, 102 / 255f, // a: R, G, B planes
            17 / 255f, 200 / 255f, 17 / 255f, 200 / 255f, 17 / 255f, 200 / 255f, // b: gray repeated
            1, 0, 1, 0, 1, 0}, three, 1e-7f); // c: white and black
        float[] one = folder.read(3, 1, 1, 2);
        assertArrayEquals(new float[] {(0.299f * 255 + 0.114f * 51) / 255, 102 / 255f, 17 / 255f, 200 / 255f, 1, 0},
                one, 1e-6f);
        assertEquals(102 / 255f, one[1], 0f, "gray stored as RGB reads exactly as the dataset's v / 255");
        Files.writeString(dir.resolve("run.json"), "{}");
        assertFalse(PngFolder.holdsImages(dir), "a Foil run's figures are no image set");
        assertThrows(FoilException.class, () -> folder.read(3, 2, 1, 2));
    }
}
