package foil.report;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/**
 * Labelled rows of images (values in [0, 1], C×H×W each), each row with a caption on its left and an
 * optional last image set apart (a synthesised input beside the dataset's top images).
 */
public final class ImageRows {
    private ImageRows() {}

    /** One row: its caption, its images, the captions under them (may be null), and an optional extra image. */
    public record Row(String caption, List<float[]> images, List<String> imageCaptions, float[] extra,
            String extraCaption) {}

    public static BufferedImage draw(String title, List<Row> rows, int channels, int height, int width, int scale) {
        int captionWidth = 230;
        int cell = width * scale;
        int gap = 6;
        int textLine = 14;
        int rowHeight = height * scale + textLine + gap * 2;
        int maxImages = rows.stream().mapToInt(r -> r.images().size()).max().orElse(0);
        boolean extras = rows.stream().anyMatch(r -> r.extra() != null);
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        int titleWidth = Png.fontMetrics(titleFont).stringWidth(title);
        int widthPx = Math.max(captionWidth + maxImages * (cell + gap) + (extras ? cell + 4 * gap : 0) + gap,
                titleWidth + 20);
        int heightPx = 36 + rows.size() * rowHeight;
        BufferedImage out = new BufferedImage(widthPx, heightPx, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, widthPx, heightPx);
        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, 10, 22);
        Font small = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
        Font caption = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        for (int r = 0; r < rows.size(); r++) {
            Row row = rows.get(r);
            int top = 36 + r * rowHeight;
            g.setColor(Color.BLACK);
            g.setFont(caption);
            int y = top + height * scale / 2;
            for (String line : row.caption().split("\n")) {
                g.drawString(line, 10, y);
                y += 16;
            }
            g.setFont(small);
            for (int i = 0; i < row.images().size(); i++) {
                int left = captionWidth + i * (cell + gap);
                g.drawImage(AdversarialFigure.toImage(row.images().get(i), channels, height, width), left, top, cell,
                        height * scale, null);
                if (row.imageCaptions() != null && i < row.imageCaptions().size()) {
                    g.setColor(Color.DARK_GRAY);
                    g.drawString(fit(row.imageCaptions().get(i), cell, g), left, top + height * scale + textLine - 2);
                }
            }
            if (row.extra() != null) {
                int left = captionWidth + maxImages * (cell + gap) + 3 * gap;
                g.setColor(new Color(40, 90, 200));
                g.drawRect(left - 2, top - 2, cell + 3, height * scale + 3);
                g.drawImage(AdversarialFigure.toImage(row.extra(), channels, height, width), left, top, cell,
                        height * scale, null);
                if (row.extraCaption() != null) {
                    g.drawString(fit(row.extraCaption(), cell, g), left, top + height * scale + textLine - 2);
                }
            }
        }
        g.dispose();
        return out;
    }

    private static String fit(String s, int width, Graphics2D g) {
        String t = s;
        while (t.length() > 1 && g.getFontMetrics().stringWidth(t) > width) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }
}
