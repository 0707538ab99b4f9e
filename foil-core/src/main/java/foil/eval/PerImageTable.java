package foil.eval;

import foil.FoilException;
import foil.io.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** per_image.csv: one row per image and budget, the whole record of an evaluation. */
public final class PerImageTable {
    private PerImageTable() {}

    public static final String FILE = "per_image.csv";

    static final String HEADER = "index,label,clean_prediction,eps,adversarial_prediction,fooled_by,linf,l2,"
            + "gradient,outputs,repeatable,pgd_fooled,single_step_fooled,unbounded_fooled";

    public static void write(Path file, List<ImageResult> rows) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (ImageResult r : rows) {
            sb.append(r.index()).append(',').append(r.label()).append(',').append(r.cleanPrediction()).append(',')
                    .append(r.eps()).append(',').append(r.adversarialPrediction()).append(',').append(r.fooledBy())
                    .append(',').append(r.linf()).append(',').append(r.l2()).append(',').append(r.gradient())
                    .append(',').append(r.outputs()).append(',').append(r.repeatable()).append(',')
                    .append(text(r.pgdFooled())).append(',').append(text(r.singleStepFooled())).append(',')
                    .append(text(r.unboundedFooled())).append('\n');
        }
        try {
            AtomicFiles.writeString(file, sb.toString());
        } catch (IOException e) {
            throw new FoilException("cannot write " + file + ": " + e.getMessage());
        }
    }

    private static String text(Boolean b) {
        return b == null ? "" : b.toString();
    }

    public static List<ImageResult> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new FoilException("cannot read " + file + " (" + e.getMessage() + "): give the directory of a "
                    + "foil evaluate run");
        }
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new FoilException(file + " is not a per-image table of foil evaluate (its header differs)");
        }
        List<ImageResult> out = new ArrayList<>();
        for (int i = 1; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            try {
                if (f.length != 14) {
                    throw new NumberFormatException(f.length + " fields");
                }
                out.add(new ImageResult(Integer.parseInt(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                        Float.parseFloat(f[3]), Integer.parseInt(f[4]), f[5], Float.parseFloat(f[6]),
                        Float.parseFloat(f[7]), f[8], f[9], Boolean.parseBoolean(f[10]), flag(f[11]), flag(f[12]),
                        flag(f[13])));
            } catch (NumberFormatException e) {
                throw new FoilException(file + " line " + (i + 1) + " is damaged (" + e.getMessage()
                        + "): run that shard again");
            }
        }
        return out;
    }

    private static Boolean flag(String s) {
        return s.isEmpty() ? null : Boolean.parseBoolean(s.toLowerCase(Locale.ROOT));
    }
}
