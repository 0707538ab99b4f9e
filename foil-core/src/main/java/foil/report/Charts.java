package foil.report;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts as PNG files, through XChart. */
public final class Charts {
    private Charts() {}

    /** How a series is drawn: circles, lines, or crosses (points to pick out, such as modes a GAN dropped). */
    public enum Line { MARKED, SOLID, DASHED, DOTTED, CROSSED }

    /** One named curve; {@code color} may be null for XChart's palette. */
    public record Series(String name, double[] x, double[] y, Line line, Color color) {
        public Series(String name, double[] x, double[] y) {
            this(name, x, y, Line.MARKED, null);
        }
    }

    /** A chart's frame: title, axis titles and optional y range. */
    public record Frame(String title, String xLabel, String yLabel, Double yMin, Double yMax, int width, int height) {
        public Frame(String title, String xLabel, String yLabel, Double yMin, Double yMax) {
            this(title, xLabel, yLabel, yMin, yMax, 720, 480);
        }
    }

    public static void lines(Path path, String title, String xLabel, String yLabel, List<Series> series,
            Double yMin, Double yMax) {
        Png.write(render(new Frame(title, xLabel, yLabel, yMin, yMax), series), path);
    }

    public static BufferedImage render(Frame frame, List<Series> series) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(frame.width()).height(frame.height()).title(frame.title())
                .xAxisTitle(frame.xLabel()).yAxisTitle(frame.yLabel()).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        // below the plot: a legend inside it hides curves that end high on the right (accuracy, quality)
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(org.knowm.xchart.style.Styler.LegendLayout.Horizontal);
        if (frame.yMin() != null) {
            chart.getStyler().setYAxisMin(frame.yMin());
        }
        if (frame.yMax() != null) {
            chart.getStyler().setYAxisMax(frame.yMax());
        }
        java.util.Set<String> used = new java.util.HashSet<>();
        for (Series s : series) {
            String name = s.name();
            for (int k = 2; !used.add(name); k++) {
                name = s.name() + " #" + k; // XChart needs unique series names
            }
            XYSeries xy = chart.addSeries(name, s.x(), s.y());
            switch (s.line()) {
                case MARKED -> xy.setMarker(SeriesMarkers.CIRCLE);
                case CROSSED -> xy.setMarker(SeriesMarkers.CROSS).setLineStyle(SeriesLines.NONE);
                case SOLID -> xy.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.SOLID);
                case DASHED -> xy.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DASH_DASH);
                case DOTTED -> xy.setMarker(SeriesMarkers.NONE).setLineStyle(SeriesLines.DOT_DOT);
                default -> throw new IllegalStateException();
            }
            if (s.color() != null) {
                xy.setLineColor(s.color());
                xy.setMarkerColor(s.color());
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Point clouds, one colour each (real and generated samples), on a square frame of half-width {@code r}. */
    public static BufferedImage scatter(String title, List<Series> clouds, double r, int size) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(size).height(size).title(title).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(3);
        chart.getStyler().setXAxisMin(-r).setXAxisMax(r).setYAxisMin(-r).setYAxisMax(r);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (Series s : clouds) {
            if (s.line() == Line.CROSSED) {
                crosses(chart, s, r / 25);
                continue;
            }
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            xy.setMarker(SeriesMarkers.CIRCLE);
            if (s.color() != null) {
                xy.setMarkerColor(s.color());
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Each point of {@code s} as an X of half-width {@code d} drawn in lines (scatter markers are too small to see). */
    private static void crosses(XYChart chart, Series s, double d) {
        for (int i = 0; i < s.x().length; i++) {
            double x = s.x()[i];
            double y = s.y()[i];
            for (int stroke = 0; stroke < 2; stroke++) {
                double sign = stroke == 0 ? 1 : -1;
                XYSeries xy = chart.addSeries(s.name() + " " + i + "." + stroke, new double[] {x - d, x + d},
                        new double[] {y - sign * d, y + sign * d});
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
                        .setLineStyle(new java.awt.BasicStroke(2f)).setLineColor(s.color() != null ? s.color() : Color.BLACK);
                xy.setShowInLegend(false);
            }
        }
        if (s.x().length > 0) { // one legend entry for all
            XYSeries legend = chart.addSeries(s.name(), new double[] {s.x()[0]}, new double[] {s.y()[0]});
            legend.setMarker(SeriesMarkers.CROSS).setMarkerColor(s.color() != null ? s.color() : Color.BLACK);
        }
    }

    /** Point clouds on automatic axes (one marker per point, no lines), e.g. one feature measure against another. */
    public static BufferedImage points(Frame frame, List<Series> clouds) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(frame.width()).height(frame.height()).title(frame.title())
                .xAxisTitle(frame.xLabel()).yAxisTitle(frame.yLabel()).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        chart.getStyler().setMarkerSize(5);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNW);
        if (frame.yMin() != null) {
            chart.getStyler().setYAxisMin(frame.yMin());
        }
        if (frame.yMax() != null) {
            chart.getStyler().setYAxisMax(frame.yMax());
        }
        for (Series s : clouds) {
            XYSeries xy = chart.addSeries(s.name(), s.x(), s.y());
            if (s.line() == Line.MARKED) {
                xy.setMarker(SeriesMarkers.CIRCLE);
            } else {
                xy.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Line).setMarker(SeriesMarkers.NONE)
                        .setLineStyle(SeriesLines.DASH_DASH);
            }
            if (s.color() != null) {
                xy.setMarkerColor(s.color());
                xy.setLineColor(s.color());
            }
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Grouped bars: one group per category, one bar per series in each, values in [0, 1]. */
    public static BufferedImage bars(String title, String yLabel, List<String> categories, List<String> series,
            double[][] values) {
        System.setProperty("java.awt.headless", "true");
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(820).height(480)
                .title(title).yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(1.0);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsPosition(0.9);
        for (int s = 0; s < series.size(); s++) {
            List<Double> v = new java.util.ArrayList<>();
            for (double d : values[s]) {
                v.add(d);
            }
            chart.addSeries(series.get(s), categories, v);
        }
        return BitmapEncoder.getBufferedImage(chart);
    }

    /**
     * A histogram: one bar per bin of {@code edges} (one more edge than counts), labelled by the bin's
     * centre, bars touching.
     */
    public static BufferedImage histogram(Frame frame, String name, double[] edges, int[] counts) {
        System.setProperty("java.awt.headless", "true");
        org.knowm.xchart.CategoryChart chart = new org.knowm.xchart.CategoryChartBuilder().width(frame.width())
                .height(frame.height()).title(frame.title()).xAxisTitle(frame.xLabel()).yAxisTitle(frame.yLabel())
                .build();
        chart.getStyler().setChartBackgroundColor(Color.WHITE);
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setAvailableSpaceFill(0.95);
        chart.getStyler().setXAxisDecimalPattern("0.###");
        chart.getStyler().setXAxisLabelRotation(45);
        double[] centres = new double[counts.length];
        double[] heights = new double[counts.length];
        for (int k = 0; k < counts.length; k++) {
            centres[k] = (edges[k] + edges[k + 1]) / 2;
            heights[k] = counts[k];
        }
        chart.addSeries(name, centres, heights);
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Images side by side, in rows of {@code perRow}. */
    public static BufferedImage tile(List<BufferedImage> images, int perRow) {
        int w = images.get(0).getWidth();
        int h = images.get(0).getHeight();
        int cols = Math.min(perRow, images.size());
        int rows = (images.size() + cols - 1) / cols;
        BufferedImage out = new BufferedImage(cols * w, rows * h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        for (int i = 0; i < images.size(); i++) {
            g.drawImage(images.get(i), (i % cols) * w, (i / cols) * h, null);
        }
        g.dispose();
        return out;
    }
}
