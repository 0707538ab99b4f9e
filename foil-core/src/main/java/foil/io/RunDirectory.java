package foil.io;

import foil.Foil;
import foil.FoilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The directory one run writes: {@code run.json} (command, options, seed, versions, data) and
 * {@code metrics.json}, beside its figures. It refuses a directory holding something else, so nothing a
 * user made is overwritten; with {@code force} it replaces files one by one, each atomically.
 */
public final class RunDirectory {
    public static final String RUN_FILE = "run.json";
    public static final String METRICS_FILE = "metrics.json";

    private final Path dir;

    private RunDirectory(Path dir) {
        this.dir = dir;
    }

    /**
     * Opens {@code dir} for a new run: it may be missing or empty; a non-empty one is accepted only with
     * {@code force}, and only when it holds an earlier Foil run (a {@code run.json}).
     */
    public static RunDirectory create(Path dir, boolean force) {
        if (Files.exists(dir)) {
            boolean content = Files.isDirectory(dir) && !isEmpty(dir);
            checkExisting(dir.toString(), Files.isDirectory(dir), content,
                    content && Files.isRegularFile(dir.resolve(RUN_FILE)), force);
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new FoilException("cannot create output directory " + dir + ": " + e.getMessage());
        }
        return new RunDirectory(dir);
    }

    /**
     * The rules of {@link #create} for an output {@code dir} that exists, on whatever file system holds it: a
     * file is refused; a directory with content only without {@code force}, or when it holds no earlier Foil run.
     */
    public static void checkExisting(String dir, boolean directory, boolean hasContent, boolean holdsRun,
            boolean force) {
        if (!directory) {
            throw new FoilException("output " + dir + " is a file, not a directory: choose another --out");
        }
        if (hasContent) {
            if (!force) {
                throw new FoilException("output directory " + dir + " already has content: choose another --out, "
                        + "or add --force to replace an earlier Foil run there");
            }
            if (!holdsRun) {
                throw new FoilException("output directory " + dir + " holds files that are not a Foil run "
                        + "(no run.json): choose another --out; Foil will not overwrite them");
            }
        }
    }

    /** An earlier run's directory, to continue it (its files are kept). */
    public static RunDirectory reopen(Path dir) {
        if (!Files.isRegularFile(dir.resolve(RUN_FILE))) {
            throw new FoilException(dir + " is not a Foil run (no run.json)");
        }
        return new RunDirectory(dir);
    }

    private static boolean isEmpty(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.findAny().isEmpty();
        } catch (IOException e) {
            throw new FoilException("cannot list output directory " + dir + ": " + e.getMessage());
        }
    }

    public Path dir() {
        return dir;
    }

    public Path resolve(String name) {
        return dir.resolve(name);
    }

    /** Writes {@code run.json}: what was asked, with which seed, on which versions and data. */
    public void writeRun(String command, List<String> args, Map<String, Object> options, long seed,
            Object data) {
        Map<String, Object> run = new LinkedHashMap<>();
        run.put("command", command);
        run.put("args", args);
        run.put("options", options);
        run.put("seed", seed);
        run.put("data", data);
        run.put("started", Instant.now().toString());
        run.put("versions", versions());
        run.put("numerics", foil.numerics.Numerics.status());
        writeJson(RUN_FILE, run);
    }

    public static Map<String, Object> versions() {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("foil", Foil.VERSION);
        v.put("djl", Foil.djlVersion());
        v.put("pytorch", Foil.pytorchVersion());
        v.put("java", System.getProperty("java.version"));
        v.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        v.put("device", Foil.device().toString());
        return v;
    }

    public void writeMetrics(Object metrics) {
        writeJson(METRICS_FILE, metrics);
    }

    public void writeJson(String name, Object value) {
        try {
            Json.write(dir.resolve(name), value);
        } catch (IOException e) {
            throw new FoilException("cannot write " + dir.resolve(name) + ": " + e.getMessage());
        }
    }

    public void writeText(String name, String text) {
        try {
            AtomicFiles.writeString(dir.resolve(name), text);
        } catch (IOException e) {
            throw new FoilException("cannot write " + dir.resolve(name) + ": " + e.getMessage());
        }
    }
}
