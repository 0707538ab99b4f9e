package foil.run;

import foil.FoilException;
import foil.gan.GanTrainer;
import foil.report.Charts;
import foil.report.Png;
import foil.io.RunDirectory;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Several 2-D mixture runs side by side (e.g. the same settings with minimax and with WGAN-GP): modes covered,
 * high-quality fraction and EMD over training, one curve per run, from each run's metrics.jsonl.
 */
public final class MogComparison {
    public static final String FIGURE = "comparison.png";

    private MogComparison() {}

    /** Rejects a directory that holds no training log of 'foil gan mog'. */
    public static void requireRuns(List<Path> runs) {
        for (Path run : runs) {
            if (!Files.isRegularFile(run.resolve(GanTrainer.LOG))) {
                throw new FoilException(run + " has no " + GanTrainer.LOG + ": give directories written by 'foil gan mog'");
            }
        }
    }

    public static Map<String, Object> execute(List<Path> runs, List<String> names, RunDirectory dir) {
        requireRuns(runs);
        List<Charts.Series> modes = new ArrayList<>();
        List<Charts.Series> quality = new ArrayList<>();
        List<Charts.Series> emd = new ArrayList<>();
        List<Charts.Series> kl = new ArrayList<>();
        Map<String, Object> finals = new LinkedHashMap<>();
        for (int r = 0; r < runs.size(); r++) {
            Path run = runs.get(r);
            List<Map<String, Object>> measured = GanTrainer.readLog(run).stream()
                    .filter(l -> l.containsKey("modes_covered")).toList();
            if (measured.isEmpty()) {
                throw new FoilException(run + " has no measurements yet (modes_covered): let it run past --log-every");
            }
            double[] it = MogJob.column(measured, "iteration");
            modes.add(new Charts.Series(names.get(r), it, MogJob.column(measured, "modes_covered"), Charts.Line.SOLID,
                    null));
            quality.add(new Charts.Series(names.get(r), it, MogJob.column(measured, "high_quality_fraction"),
                    Charts.Line.SOLID, null));
            emd.add(new Charts.Series(names.get(r), it, MogJob.column(measured, "emd"), Charts.Line.SOLID, null));
            // measured where there were high-quality samples (NaN, written as a string, otherwise; absent before stop 7)
            List<Map<String, Object>> withKl = measured.stream().filter(l -> l.get("mode_kl") instanceof Number).toList();
            if (!withKl.isEmpty()) {
                kl.add(new Charts.Series(names.get(r), MogJob.column(withKl, "iteration"), MogJob.column(withKl, "mode_kl"),
                        Charts.Line.SOLID, null));
            }
            Map<String, Object> last = new LinkedHashMap<>(measured.get(measured.size() - 1));
            last.remove("d_loss");
            last.remove("g_loss");
            last.remove("gradient_penalty");
            finals.put(names.get(r), last);
        }
        List<BufferedImage> panels = new ArrayList<>(List.of(
                Charts.render(new Charts.Frame("Modes covered", "iteration", "modes", 0.0, null, 520, 400), modes),
                Charts.render(new Charts.Frame("High-quality fraction (within 3 std)", "iteration", "fraction", 0.0, 1.0,
                        520, 400), quality),
                Charts.render(new Charts.Frame("Earth mover's distance to the data", "iteration", "EMD", 0.0, null, 520,
                        400), emd)));
        if (!kl.isEmpty()) {
            panels.add(Charts.render(new Charts.Frame("KL of samples over modes from uniform", "iteration", "KL", 0.0,
                    null, 520, 400), kl));
        }
        Png.write(Charts.tile(panels, panels.size()), dir.resolve(FIGURE));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("runs", runs.stream().map(Path::toString).toList());
        m.put("last_measurement", finals);
        dir.writeMetrics(m);
        return m;
    }
}
