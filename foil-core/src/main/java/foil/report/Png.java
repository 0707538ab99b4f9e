package foil.report;

import foil.io.AtomicFiles;
import foil.FoilException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;

/** Writes PNG images atomically. */
public final class Png {
    private Png() {}

    public static void write(BufferedImage image, Path path) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            AtomicFiles.write(path, out.toByteArray());
        } catch (IOException e) {
            throw new FoilException("cannot write figure " + path + ": " + e.getMessage());
        }
    }

    /** How text in {@code font} measures when drawn on an image, to size a figure before drawing it. */
    public static java.awt.FontMetrics fontMetrics(java.awt.Font font) {
        java.awt.Graphics2D g = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        try {
            return g.getFontMetrics(font);
        } finally {
            g.dispose();
        }
    }
}
