package foil.data;

import foil.FoilException;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * A folder of PNG images, taken in file-name order and read as a dataset's images are: N×C×H×W in [0, 1] (an
 * 8-bit value v as v / 255). Gray images (any bit depth) are read as they are stored; RGB ones and palettes as
 * their red, green and blue, averaged to one channel with the weights 0.299, 0.587, 0.114 (ITU-R BT.601, as
 * PIL's convert("L")) where one channel is wanted, and gray is repeated where three are. Alpha is ignored.
 */
public record PngFolder(Path dir) {
    /** Whether {@code dir} is one: it holds .png files and neither IDX files (a dataset) nor run.json (a run). */
    public static boolean holdsImages(Path dir) {
        if (!Files.isDirectory(dir) || Files.isRegularFile(dir.resolve("run.json"))) {
            return false;
        }
        boolean png = false;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString().toLowerCase(Locale.ROOT);
                if (name.matches(".*idx\\d-ubyte(\\.gz)?")) {
                    return false;
                }
                png |= name.endsWith(".png") && Files.isRegularFile(f);
            }
        } catch (IOException e) {
            throw new FoilException("cannot list " + dir + ": " + e.getMessage());
        }
        return png;
    }

    /** Its .png files, in name order. */
    public List<Path> files() {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png")
                    && Files.isRegularFile(f)).sorted().toList();
        } catch (IOException e) {
            throw new FoilException("cannot list " + dir + ": " + e.getMessage());
        }
    }

    /**
     * The first {@code n} images (all of them when there are fewer), flattened N×C×H×W with {@code channels}
     * channels; each must be {@code width}×{@code height}.
     */
    public float[] read(int n, int channels, int height, int width) {
        if (channels != 1 && channels != 3) {
            throw new FoilException("PNG images give 1 (gray) or 3 (RGB) channels, not the " + channels
                    + " the feature network takes");
        }
        List<Path> files = files();
        int count = Math.min(n, files.size());
        int per = channels * height * width;
        float[] out = new float[count * per];
        for (int i = 0; i < count; i++) {
            Path f = files.get(i);
            BufferedImage image;
            try {
                image = ImageIO.read(f.toFile());
            } catch (IOException e) {
                throw new FoilException("cannot read " + f + " as a PNG image: " + e.getMessage());
            }
            if (image == null) {
                throw new FoilException("cannot read " + f + " as a PNG image");
            }
            if (image.getWidth() != width || image.getHeight() != height) {
                throw new FoilException(f + " is " + image.getWidth() + "x" + image.getHeight() + " pixels: every "
                        + "image must be " + width + "x" + height + ", the size of the dataset's images");
            }
            pixels(image, channels, out, i * per);
        }
        return out;
    }

    /** One image's pixels, C×H×W in [0, 1], written into {@code out} from {@code offset}. */
    static void pixels(BufferedImage image, int channels, float[] out, int offset) {
        int h = image.getHeight();
        int w = image.getWidth();
        ColorModel cm = image.getColorModel();
        Raster raster = image.getRaster();
        boolean direct = !(cm instanceof IndexColorModel);
        boolean gray = direct && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY;
        // gray and sRGB rasters are read as stored: BufferedImage.getRGB would pass gray through a gamma curve
        boolean rgb = direct && cm.getColorSpace().isCS_sRGB() && raster.getNumBands() >= 3;
        int max = gray || rgb ? (1 << raster.getSampleModel().getSampleSize(0)) - 1 : 255;
        int plane = h * w;
        int[] c3 = new int[3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int at = offset + y * w + x;
                if (gray) {
                    float v = (float) raster.getSample(x, y, 0) / max;
                    for (int c = 0; c < channels; c++) {
                        out[at + c * plane] = v;
                    }
                    continue;
                }
                int argb = rgb ? 0 : image.getRGB(x, y);
                for (int b = 0; b < 3; b++) {
                    c3[b] = rgb ? raster.getSample(x, y, b) : (argb >> (16 - 8 * b)) & 0xFF;
                }
                if (channels == 3) {
                    for (int b = 0; b < 3; b++) {
                        out[at + b * plane] = (float) c3[b] / max;
                    }
                } else { // 1000 v / 1000 is v: a gray pixel stored as RGB reads as stored gray does
                    out[at] = (float) (299L * c3[0] + 587L * c3[1] + 114L * c3[2]) / 1000f / max;
                }
            }
        }
    }
}
