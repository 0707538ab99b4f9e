package foil.report;

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
}
