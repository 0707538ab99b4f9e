package foil.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;

/**
 * The figure of Szegedy et al. (2014), Figure 5: each row shows an original image, the difference to its
 * adversarial image magnified ten times around mid-grey (128 + 10·r, clamped), and the adversarial image,
 * captioned with the label and the predictions.
 */
public final class AdversarialFigure {
    private static final int SCALE = 4;
    private static final int CAPTION = 30;
    private static final int GAP = 8;

    private AdversarialFigure() {}

    /** One row: an image pair, its label, the clean and adversarial predictions. */
    public record Row(float[] original, float[] adversarial, String label, String cleanPrediction,
            String adversarialPrediction, String target) {}

    /**
     * Draws rows of images of {@code channels}×{@code height}×{@code width}, laid out in {@code columns}
     * groups of three side by side.
     */
    public static BufferedImage draw(String title, java.util.List<Row> rows, int channels, int height, int width,
            int columns) {
        int cell = Math.max(width * SCALE, 96);
        int cellH = height * SCALE;
        int groupW = 3 * cell + 2 * GAP;
        int cols = Math.max(1, Math.min(columns, rows.size()));
        int lines = (rows.size() + cols - 1) / cols;
        int titleH = 46;
        int w = cols * groupW + (cols + 1) * 3 * GAP;
        int h = titleH + lines * (cellH + CAPTION + GAP) + GAP;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, 3 * GAP, 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        for (int c = 0; c < cols; c++) {
            int x0 = 3 * GAP + c * (groupW + 3 * GAP);
            g.drawString("original", x0, 38);
            g.drawString("difference x10", x0 + cell + GAP, 38);
            g.drawString("adversarial", x0 + 2 * (cell + GAP), 38);
        }
        for (int i = 0; i < rows.size(); i++) {
            Row row = rows.get(i);
            int x0 = 3 * GAP + (i % cols) * (groupW + 3 * GAP);
            int y0 = titleH + (i / cols) * (cellH + CAPTION + GAP);
            float[] diff = new float[row.original().length];
            for (int p = 0; p < diff.length; p++) {
                diff[p] = Math.min(1f, Math.max(0f, 0.5f + 10f * (row.adversarial()[p] - row.original()[p])));
            }
            paint(g, row.original(), channels, height, width, x0, y0);
            paint(g, diff, channels, height, width, x0 + cell + GAP, y0);
            paint(g, row.adversarial(), channels, height, width, x0 + 2 * (cell + GAP), y0);
            g.setColor(Color.BLACK);
            g.drawString(fit(g, "label: " + row.label(), cell), x0, y0 + cellH + 13);
            g.drawString(fit(g, "pred: " + row.cleanPrediction(), cell), x0, y0 + cellH + 26);
            boolean changed = !row.adversarialPrediction().equals(row.cleanPrediction());
            g.setColor(changed ? new Color(180, 0, 0) : Color.BLACK);
            g.drawString(fit(g, "pred: " + row.adversarialPrediction(), cell), x0 + 2 * (cell + GAP),
                    y0 + cellH + 13);
            if (row.target() != null) {
                g.setColor(Color.BLACK);
                g.drawString(fit(g, "target: " + row.target(), cell), x0 + 2 * (cell + GAP), y0 + cellH + 26);
            }
        }
        g.dispose();
        return img;
    }

    private static String fit(Graphics2D g, String s, int width) {
        String out = s;
        while (out.length() > 3 && g.getFontMetrics().stringWidth(out) > width) {
            out = out.substring(0, out.length() - 2);
        }
        return out;
    }

    /** Paints one image (grey or RGB, values in [0, 1]) scaled up by nearest neighbour. */
    static void paint(Graphics2D g, float[] pixels, int channels, int height, int width, int x0, int y0) {
        BufferedImage im = toImage(pixels, channels, height, width);
        g.drawImage(im, x0, y0, width * SCALE, height * SCALE, null);
    }

    public static BufferedImage toImage(float[] pixels, int channels, int height, int width) {
        BufferedImage im = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        int plane = height * width;
        for (int yy = 0; yy < height; yy++) {
            for (int xx = 0; xx < width; xx++) {
                int p = yy * width + xx;
                int r = byteOf(pixels[p]);
                int gr = channels >= 3 ? byteOf(pixels[plane + p]) : r;
                int b = channels >= 3 ? byteOf(pixels[2 * plane + p]) : r;
                im.setRGB(xx, yy, (r << 16) | (gr << 8) | b);
            }
        }
        return im;
    }

    private static int byteOf(float v) {
        return Math.round(Math.min(1f, Math.max(0f, v)) * 255f);
    }

    public static void write(Path path, String title, java.util.List<Row> rows, int channels, int height,
            int width, int columns) {
        Png.write(draw(title, rows, channels, height, width, columns), path);
    }
}
