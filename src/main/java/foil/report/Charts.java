package foil.report;

import java.nio.file.Path;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** Line charts as PNG files, through XChart. */
public final class Charts {
    private Charts() {}

    /** One named curve. */
    public record Series(String name, double[] x, double[] y) {}

    public static void lines(Path path, String title, String xLabel, String yLabel, List<Series> series,
            Double yMin, Double yMax) {
        System.setProperty("java.awt.headless", "true");
        XYChart chart = new XYChartBuilder().width(720).height(480).title(title).xAxisTitle(xLabel)
                .yAxisTitle(yLabel).build();
        chart.getStyler().setChartBackgroundColor(java.awt.Color.WHITE);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        if (yMin != null) {
            chart.getStyler().setYAxisMin(yMin);
        }
        if (yMax != null) {
            chart.getStyler().setYAxisMax(yMax);
        }
        for (Series s : series) {
            chart.addSeries(s.name(), s.x(), s.y()).setMarker(SeriesMarkers.CIRCLE);
        }
        Png.write(BitmapEncoder.getBufferedImage(chart), path);
    }
}
