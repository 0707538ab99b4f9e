package foil.metrics;

import foil.FoilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** A discrete distribution read from CSV: one row per point, {@code weight,x1[,x2,...]}. */
public record WeightedPoints(double[] weights, double[][] points) {

    public static WeightedPoints readCsv(Path path) {
        List<String> lines;
        try {
            lines = Files.readAllLines(path);
        } catch (NoSuchFileException e) {
            throw new FoilException("CSV file " + path + " not found");
        } catch (IOException e) {
            throw new FoilException("cannot read " + path + ": " + e.getMessage());
        }
        List<double[]> rows = new ArrayList<>();
        int dims = -1;
        for (int k = 0; k < lines.size(); k++) {
            String line = lines.get(k).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split("\\s*,\\s*");
            double[] v = new double[parts.length];
            try {
                for (int p = 0; p < parts.length; p++) {
                    v[p] = Double.parseDouble(parts[p]);
                }
            } catch (NumberFormatException e) {
                if (rows.isEmpty() && dims < 0 && k == 0) {
                    continue; // a header line
                }
                throw new FoilException(path + " line " + (k + 1) + " is not numbers: rows must be weight,x1[,x2,...]");
            }
            if (v.length < 2) {
                throw new FoilException(path + " line " + (k + 1) + " has no coordinates: rows must be weight,x1[,x2,...]");
            }
            if (dims >= 0 && v.length - 1 != dims) {
                throw new FoilException(path + " line " + (k + 1) + " has " + (v.length - 1) + " coordinates where earlier "
                        + "rows have " + dims);
            }
            dims = v.length - 1;
            rows.add(v);
        }
        if (rows.isEmpty()) {
            throw new FoilException(path + " holds no points: rows must be weight,x1[,x2,...]");
        }
        double[] w = new double[rows.size()];
        double[][] x = new double[rows.size()][];
        for (int i = 0; i < w.length; i++) {
            w[i] = rows.get(i)[0];
            x[i] = java.util.Arrays.copyOfRange(rows.get(i), 1, rows.get(i).length);
        }
        return new WeightedPoints(w, x);
    }
}
