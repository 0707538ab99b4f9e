package foil.spark;

import foil.FoilException;
import foil.data.DataSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;

/**
 * Inputs and outputs through Hadoop's file system API: a model or a dataset named by a URI (hdfs://, s3a://, ...)
 * is copied once per JVM into a local directory, where Foil's core reads it; plain paths and file: URIs are read
 * where they are. The Hadoop configuration travels to the executors with the job (its settings, s3a's keys
 * among them, come from the driver's {@code spark.hadoop.*}).
 */
public final class HadoopFiles {
    private static final Pattern URI_SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    private static final Map<String, Path> STAGED = new ConcurrentHashMap<>();

    private HadoopFiles() {}

    /** A Hadoop configuration that can go into a Spark task (Hadoop's own is not serializable). */
    public static final class Conf implements Serializable {
        private static final long serialVersionUID = 1L;
        private transient Configuration conf;

        public Conf(Configuration conf) {
            this.conf = conf;
        }

        public Configuration get() {
            return conf;
        }

        private void writeObject(ObjectOutputStream out) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            conf.write(new DataOutputStream(bytes));
            out.writeObject(bytes.toByteArray());
        }

        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            conf = new Configuration(false);
            conf.readFields(new DataInputStream(new ByteArrayInputStream((byte[]) in.readObject())));
        }
    }

    /** Whether {@code spec} is a URI with a scheme other than file: (so not on this machine's disk). */
    public static boolean remote(String spec) {
        return URI_SCHEME.matcher(spec).matches() && !spec.startsWith("file:");
    }

    /** A local path holding {@code spec}: itself, the file: URI's path, or a copy made once in this JVM. */
    public static Path local(String spec, Conf conf) {
        if (spec.startsWith("file:")) {
            return Path.of(java.net.URI.create(spec));
        }
        if (!remote(spec)) {
            return Path.of(spec);
        }
        return STAGED.computeIfAbsent(spec, s -> copy(s, conf.get()));
    }

    /** The dataset {@code spec} names: a name Foil knows (looked up on each machine), a local directory or a URI. */
    public static DataSource data(String spec, Conf conf) {
        return DataSource.locate(spec.startsWith("file:") || remote(spec) ? local(spec, conf).toString() : spec);
    }

    private static Path copy(String spec, Configuration conf) {
        org.apache.hadoop.fs.Path src = new org.apache.hadoop.fs.Path(spec);
        try {
            FileSystem fs = src.getFileSystem(conf);
            if (!fs.exists(src)) {
                throw new FoilException(spec + " does not exist");
            }
            Path dir = Files.createTempDirectory("foil-spark-");
            dir.toFile().deleteOnExit();
            Path target = dir.resolve(src.getName()); // the same last name: a dataset keeps its name
            fs.copyToLocalFile(false, src, new org.apache.hadoop.fs.Path(target.toUri()), true);
            return target;
        } catch (IOException e) {
            throw new FoilException("cannot read " + spec + " (" + FoilException.firstLine(e.getMessage()) + ")");
        }
    }

    /** The file system of {@code path}, without Hadoop's .crc side files on local disks. */
    public static FileSystem fileSystem(org.apache.hadoop.fs.Path path, Configuration conf) throws IOException {
        FileSystem fs = path.getFileSystem(conf);
        return fs instanceof LocalFileSystem local ? local.getRawFileSystem() : fs;
    }
}
