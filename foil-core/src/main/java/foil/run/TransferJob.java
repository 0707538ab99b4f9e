package foil.run;

import foil.attack.Attack;
import foil.attack.Transfer;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.report.HeatMap;
import foil.report.Png;
import foil.io.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The transfer matrix of one attack over several models: metrics.json, transfer.csv, transfer.png. */
public record TransferJob(Attack attack, foil.attack.Targeting targeting, int n, int batch, long seed) {
    public static final String CHART = "transfer.png";

    public Transfer.Matrix execute(List<Path> paths, List<Classifier> models, ImageDataset test, RunDirectory dir) {
        List<String> labels = labels(paths);
        Transfer.Matrix matrix = Transfer.run(attack, targeting, labels, models, test.head(n), batch, seed);
        Map<String, Object> metrics = matrix.metrics();
        metrics.put("model_paths", paths.stream().map(Path::toString).toList());
        metrics.put("data", test.name());
        dir.writeMetrics(metrics);
        dir.writeText("transfer.csv", matrix.csv());
        String budget = attack.eps() > 0 ? String.format(" eps %s (%s)", attack.eps(), attack.norm().cliName) : "";
        Png.write(HeatMap.draw("Error (wrong clean or adversarial): " + attack.method().toUpperCase() + budget
                        + ", " + matrix.population(), "attacked model (examples crafted on it)",
                "model that classifies them", rowsWithClean(labels), labels, withClean(matrix)), dir.resolve(CHART));
        return matrix;
    }

    private static List<String> rowsWithClean(List<String> labels) {
        List<String> rows = new ArrayList<>(labels);
        rows.add("clean images");
        return rows;
    }

    /** The error matrix with the clean errors as a last row, for the figure. */
    private static double[][] withClean(Transfer.Matrix m) {
        double[][] rows = new double[m.error().length + 1][];
        System.arraycopy(m.error(), 0, rows, 0, m.error().length);
        rows[m.error().length] = m.cleanError();
        return rows;
    }

    /** Short unique names: the last path element, or more of the path where two would collide. */
    static List<String> labels(List<Path> paths) {
        for (int depth = 1; depth <= 4; depth++) {
            List<String> names = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            boolean unique = true;
            for (Path p : paths) {
                Path abs = p.toAbsolutePath().normalize();
                int count = abs.getNameCount();
                String name = abs.subpath(Math.max(0, count - depth), count).toString();
                names.add(name);
                unique &= seen.add(name);
            }
            if (unique) {
                return names;
            }
        }
        List<String> numbered = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            numbered.add("model " + (i + 1));
        }
        return numbered;
    }
}
