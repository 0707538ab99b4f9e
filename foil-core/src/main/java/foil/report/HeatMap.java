package foil.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.List;

/** A matrix of values in [0, 1] as coloured cells (white to red) with each value written in its cell. */
public final class HeatMap {
    private HeatMap() {}

    public static BufferedImage draw(String title, String rowAxis, String columnAxis, List<String> rows,
            List<String> columns, double[][] values) {
        int cell = 96;
        Font font = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
        FontMetrics fm = Png.fontMetrics(font);
        int labelWidth = 0;
        for (String r : rows) {
            labelWidth = Math.max(labelWidth, fm.stringWidth(shorten(r)));
        }
        int left = labelWidth + 40;
        int top = 110;
        int width = Math.max(left + columns.size() * cell + 20, Math.max(fm.stringWidth(title) * 6 / 5,
                fm.stringWidth("rows: " + rowAxis + " ↓")) + 40);
        int height = top + rows.size() * cell + 20;
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setColor(Color.BLACK);
        g.setFont(font.deriveFont(Font.BOLD, 15f));
        g.drawString(title, 20, 24);
        g.setFont(font);
        g.drawString("columns: " + columnAxis + " →", 20, 50);
        g.drawString("rows: " + rowAxis + " ↓", 20, 72);
        for (int j = 0; j < columns.size(); j++) {
            String c = shorten(columns.get(j));
            g.drawString(c, left + j * cell + (cell - fm.stringWidth(c)) / 2, top - 10);
        }
        for (int i = 0; i < rows.size(); i++) {
            g.setColor(Color.BLACK);
            g.drawString(shorten(rows.get(i)), 20, top + i * cell + cell / 2 + 5);
            for (int j = 0; j < columns.size(); j++) {
                double v = Math.max(0, Math.min(1, values[i][j]));
                int fade = (int) Math.round(255 * (1 - v));
                g.setColor(new Color(255, fade, fade));
                g.fillRect(left + j * cell, top + i * cell, cell, cell);
                g.setColor(v > 0.6 ? Color.WHITE : Color.BLACK);
                String text = String.format("%.3f", values[i][j]);
                g.drawString(text, left + j * cell + (cell - fm.stringWidth(text)) / 2, top + i * cell + cell / 2 + 5);
            }
        }
        g.setColor(Color.DARK_GRAY);
        g.setStroke(new BasicStroke(1f));
        for (int i = 0; i <= rows.size(); i++) {
            g.drawLine(left, top + i * cell, left + columns.size() * cell, top + i * cell);
        }
        for (int j = 0; j <= columns.size(); j++) {
            g.drawLine(left + j * cell, top, left + j * cell, top + rows.size() * cell);
        }
        g.dispose();
        return out;
    }

    /** At most 14 characters, so labels fit their cells. */
    static String shorten(String s) {
        return s.length() <= 14 ? s : s.substring(0, 13) + "…";
    }
}
