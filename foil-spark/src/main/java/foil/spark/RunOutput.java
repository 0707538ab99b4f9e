package foil.spark;

import foil.FoilException;
import foil.io.RunDirectory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.UUID;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

/**
 * The run directory a Spark job writes, on any Hadoop file system. The driver writes run.json, metrics.json and
 * the figures into a local directory with Foil's own code, Spark writes its Parquet tables straight into a
 * temporary directory beside the output, and {@link #commit()} copies the local files there and renames it onto
 * the output: a reader never sees half a run. As {@code RunDirectory}, it refuses an output holding anything but
 * an earlier Foil run, and replaces that one only with --force.
 */
public final class RunOutput implements AutoCloseable {
    private final org.apache.hadoop.fs.Path out;
    private final org.apache.hadoop.fs.Path staging;
    private final FileSystem fs;
    private final Path local;
    private boolean committed;

    private RunOutput(org.apache.hadoop.fs.Path out, FileSystem fs, Path local) {
        this.out = out;
        this.fs = fs;
        this.local = local;
        this.staging = new org.apache.hadoop.fs.Path(out.getParent(), "." + out.getName() + ".tmp-" + UUID.randomUUID());
    }

    /** Checks {@code out} as {@code RunDirectory.create} does, and prepares the local and remote staging places. */
    public static RunOutput open(String out, boolean force, Configuration conf) {
        org.apache.hadoop.fs.Path path = new org.apache.hadoop.fs.Path(out);
        try {
            FileSystem fs = HadoopFiles.fileSystem(path, conf);
            path = fs.makeQualified(path);
            if (path.getParent() == null) {
                throw new FoilException("--out " + out + " is a file system's root: choose a directory below it");
            }
            if (fs.exists(path)) {
                boolean directory = fs.getFileStatus(path).isDirectory();
                boolean content = directory && fs.listStatus(path).length > 0;
                RunDirectory.checkExisting(out, directory, content,
                        content && fs.exists(new org.apache.hadoop.fs.Path(path, RunDirectory.RUN_FILE)), force);
            }
            return new RunOutput(path, fs, Files.createTempDirectory("foil-spark-run-"));
        } catch (IOException e) {
            throw new FoilException("cannot use --out " + out + " (" + FoilException.firstLine(e.getMessage()) + ")");
        }
    }

    /** The local directory the driver writes the run's files into (with {@code RunDirectory}). */
    public Path local() {
        return local;
    }

    /** Where a Spark writer puts {@code name} (a Parquet table) until the commit. */
    public String staged(String name) {
        return new org.apache.hadoop.fs.Path(staging, name).toString();
    }

    /** The staging directory itself, where tasks may write whole directories until the commit. */
    public String stagingDirectory() {
        return staging.toString();
    }

    /** The output's qualified URI. */
    public String uri() {
        return out.toString();
    }

    /** Copies the local files beside the staged tables and renames the whole onto the output. */
    public void commit() {
        try {
            fs.mkdirs(staging);
            try (Stream<Path> files = Files.list(local)) {
                for (Path f : files.sorted().toList()) {
                    fs.copyFromLocalFile(false, true, new org.apache.hadoop.fs.Path(f.toUri()),
                            new org.apache.hadoop.fs.Path(staging, f.getFileName().toString()));
                }
            }
            if (fs.exists(out) && !fs.delete(out, true)) {
                throw new IOException("cannot remove the earlier run in " + out);
            }
            fs.mkdirs(out.getParent());
            if (!fs.rename(staging, out)) {
                throw new IOException("cannot rename " + staging + " to " + out);
            }
            committed = true;
        } catch (IOException e) {
            throw new FoilException("cannot write " + out + " (" + FoilException.firstLine(e.getMessage()) + ")");
        }
    }

    /** Removes the local files, and the remote staging directory unless committed. */
    @Override
    public void close() {
        try {
            if (!committed && fs.exists(staging)) {
                fs.delete(staging, true);
            }
        } catch (IOException e) {
            // a temporary directory left behind, named as such
        }
        try (Stream<Path> walk = Files.walk(local)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // the same, locally
        }
    }
}
