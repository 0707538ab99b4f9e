package foil.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;

/** Images (values in [0, 1], C×H×W each) tiled in a square grid, scaled up by nearest neighbour. */
public final class ImageGrid {
    private ImageGrid() {}

    public static BufferedImage draw(float[] images, int count, int channels, int height, int width, int scale) {
        int cols = (int) Math.ceil(Math.sqrt(count));
        int rows = (count + cols - 1) / cols;
        int gap = 2;
        BufferedImage out = new BufferedImage(cols * (width * scale + gap) + gap, rows * (height * scale + gap) + gap,
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int per = channels * height * width;
        for (int i = 0; i < count; i++) {
            float[] one = java.util.Arrays.copyOfRange(images, i * per, (i + 1) * per);
            BufferedImage im = AdversarialFigure.toImage(one, channels, height, width);
            g.drawImage(im, gap + (i % cols) * (width * scale + gap), gap + (i / cols) * (height * scale + gap),
                    width * scale, height * scale, null);
        }
        g.dispose();
        return out;
    }
}
