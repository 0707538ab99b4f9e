package foil.cli;

import foil.FoilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * --spark MASTER and --partitions: run the command as a Spark job of the foil-spark module, which reads the
 * same options. The core does not depend on Spark: it starts that module's jar in a child Java process with
 * this command's arguments, and returns its exit code.
 */
public class SparkOption {
    /** Where the Spark module's jar is, unless given by -Dfoil.spark.jar or $FOIL_SPARK_JAR. */
    static final String JAR = "foil-spark/target/foil-spark.jar";

    @Option(names = "--spark", paramLabel = "MASTER", description = "Run as a Spark job (the foil-spark module): "
            + "local[N] on this machine, or a cluster's master URL; per_image.parquet beside the usual files.")
    String master;

    @Option(names = "--partitions", description = "Spark: parts the images are split into, of whole batches "
            + "(default: the master's parallelism, N for local[N]).")
    Integer partitions;

    /** The master given, or null. */
    public String master() {
        return master;
    }

    /** The partitions asked for, or null. */
    public Integer partitions() {
        return partitions;
    }

    /** Whether this run goes to Spark. */
    boolean requested() {
        if (master == null && partitions != null) {
            throw new FoilException("--partitions goes with --spark MASTER");
        }
        return master != null;
    }

    /** Runs this command's arguments as the Spark module's job in a child process; returns its exit code. */
    static int handOff() {
        return handOff(Cli.args());
    }

    /**
     * Runs the Spark module's command line with {@code args} in a child JVM: its jar, with lib/ (Foil, DJL) and
     * spark-lib/ (Spark) beside it on the class path, and the JDK packages its manifest names (Add-Opens) opened,
     * as Spark needs on Java 17. Returns the child's exit code.
     */
    static int handOff(List<String> args) {
        Path jar = jar();
        if (!Files.isRegularFile(jar)) {
            throw new FoilException("--spark needs the Spark module, which is not built (no " + jar + "): build it "
                    + "with ./mvnw -B -q -DskipTests package (./foil does so when --spark is given)");
        }
        Path dir = jar.toAbsolutePath().getParent();
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + Math.max(512, Runtime.getRuntime().maxMemory() >> 20) + "m");
        command.add("-Dai.djl.offline=true");
        command.add("-Djava.awt.headless=true");
        String main;
        try (java.util.jar.JarFile j = new java.util.jar.JarFile(jar.toFile())) {
            java.util.jar.Attributes a = j.getManifest().getMainAttributes();
            for (String module : a.getValue("Add-Opens").trim().split("\\s+")) {
                command.add("--add-opens=" + module + "=ALL-UNNAMED");
            }
            main = a.getValue("Main-Class");
        } catch (IOException | NullPointerException e) {
            throw new FoilException(jar + " is not the Spark module's jar (no Main-Class and Add-Opens): build it "
                    + "again with ./mvnw -B -q -DskipTests package");
        }
        command.add("-cp");
        // the module's copy of the core before lib/*, whose order is the file system's: its PtNDManager must shadow
        // DJL's (not the core's own target/foil.jar, whose manifest Class-Path would bring the core's Jackson first)
        command.add(String.join(java.io.File.pathSeparator, jar.toString(),
                dir.resolve("lib/foil-" + foil.Foil.VERSION + ".jar").toString(), dir.resolve("lib/*").toString(),
                dir.resolve("spark-lib/*").toString()));
        command.add(main);
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).inheritIO().start();
            return p.waitFor();
        } catch (IOException e) {
            throw new FoilException("cannot start the Spark job (" + e.getMessage() + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FoilException("interrupted while the Spark job ran");
        }
    }

    /** The Spark module's jar: -Dfoil.spark.jar, $FOIL_SPARK_JAR, or beside the core's build. */
    static Path jar() {
        String given = System.getProperty("foil.spark.jar", System.getenv("FOIL_SPARK_JAR"));
        if (given != null && !given.isBlank()) {
            return Path.of(given);
        }
        try {
            // the core runs from foil-core/target/foil.jar or foil-core/target/classes
            Path here = Path.of(SparkOption.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return here.getParent().getParent().getParent().resolve(JAR).normalize();
        } catch (java.net.URISyntaxException | NullPointerException e) {
            return Path.of(JAR);
        }
    }
}
