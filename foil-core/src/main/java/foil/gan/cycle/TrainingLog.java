package foil.gan.cycle;

import foil.FoilException;
import foil.io.AtomicFiles;
import foil.io.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A training run's log, one JSON object per iteration per line ({@code metrics.jsonl}), each with its
 * {@code iteration}: appended as training goes, started afresh by a new run, and cut back to a checkpoint's
 * iteration on resume (lines after it are written again; a line cut by a kill is dropped).
 */
public record TrainingLog(Path file) {
    public void append(Map<String, Object> line) {
        try {
            Files.writeString(file, Json.line(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new FoilException("cannot append to " + file + ": " + e.getMessage());
        }
    }

    public void clear() {
        try {
            Files.deleteIfExists(file);
        } catch (IOException e) {
            throw new FoilException("cannot start a new " + file + ": " + e.getMessage());
        }
    }

    /** Keeps the lines of iterations up to {@code last}. */
    public void keepUpTo(int last) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            List<String> kept = new ArrayList<>();
            for (String l : Files.readAllLines(file)) {
                try {
                    if (Json.MAPPER.readTree(l).get("iteration").asInt() <= last) {
                        kept.add(l);
                    }
                } catch (IOException | RuntimeException e) {
                    // a line cut by a kill: drop it
                }
            }
            AtomicFiles.writeString(file, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        } catch (IOException e) {
            throw new FoilException("cannot read " + file + ": " + e.getMessage());
        }
    }
}
