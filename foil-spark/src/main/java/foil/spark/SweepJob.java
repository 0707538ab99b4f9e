package foil.spark;

import foil.FoilException;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.report.Charts;
import foil.report.Png;
import java.awt.Color;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * A grid of GAN training runs (losses × learning rates × seeds) as a Spark job, in the manner of Lucic et al.
 * (2018): one run per task, each {@code foil gan COMMAND} in a JVM of its own (a training run seeds the engine's
 * generator and holds DJL's gradient collector, which are one per JVM), writing its own run directory, copied to
 * {@code OUT/runs/NAME}; the driver gathers every run's metrics.json into {@code sweep.csv},
 * {@code sweep.parquet} and {@code sweep.png} (the chosen metric against the learning rate, one curve per loss,
 * the mean over seeds, each run a point).
 */
public record SweepJob(String gan, List<String> losses, List<String> lrs, List<Long> seeds, List<String> extra,
        String memory, HadoopFiles.Conf hadoop, int threads) implements Serializable {

    public static final String TABLE = "sweep.csv";
    public static final String PARQUET = "sweep.parquet";
    public static final String CHART = "sweep.png";
    static final String RUNS = "runs";

    public SweepJob {
        if (losses.isEmpty() || lrs.isEmpty() || seeds.isEmpty()) {
            throw new FoilException("a sweep needs at least one --loss, --lr and --seeds value");
        }
        for (String lr : lrs) {
            try {
                if (!(Double.parseDouble(lr) > 0)) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                throw new FoilException("--lr takes positive numbers separated by commas, not '" + lr + "'");
            }
        }
        if (!memory.matches("[1-9][0-9]*[kKmMgG]?")) {
            throw new FoilException("--run-memory is a Java heap size such as 1g or 512m, not '" + memory + "'");
        }
        if (!gan.equals("mog") && !gan.equals("train")) {
            throw new FoilException("--gan must be mog (2-D mixtures) or train (image GANs), not '" + gan + "'");
        }
    }

    /** One run of the grid. */
    public record Run(int order, String loss, String lr, long seed) implements Serializable {
        public String name() {
            return "loss-" + loss + "_lr-" + lr + "_seed-" + seed;
        }
    }

    /** What one run left: its exit code, time, metrics.json's numbers, and the last line it printed on failure. */
    public record Outcome(Run run, int exitCode, double seconds, Map<String, Double> metrics, String error)
            implements Serializable {}

    public List<Run> grid() {
        List<Run> runs = new ArrayList<>();
        for (String loss : losses) {
            for (String lr : lrs) {
                for (long seed : seeds) {
                    runs.add(new Run(runs.size(), loss, lr, seed));
                }
            }
        }
        return runs;
    }

    /** Trains one run in a child JVM and copies its directory to {@code staging}/runs: run in a Spark task. */
    public Outcome train(Run run, String staging) {
        long t0 = System.nanoTime();
        Path tmp = null;
        try {
            tmp = Files.createTempDirectory("foil-sweep-");
            Path dir = tmp.resolve(run.name());
            Path log = tmp.resolve("run.log");
            List<String> command = new ArrayList<>(List.of(
                    Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx" + memory,
                    "-Dai.djl.offline=true", "-Djava.awt.headless=true", "-cp", JvmClasspath.current(),
                    "foil.cli.Main", "gan", gan, "--loss", run.loss(), "--lr", run.lr(), "--seed",
                    Long.toString(run.seed()), "--threads", Integer.toString(threads), "--quiet", "--out",
                    dir.toString()));
            command.addAll(extra);
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            pb.environment().put("OMP_NUM_THREADS", Integer.toString(threads));
            int exit = pb.start().waitFor();
            List<String> lines = Files.readAllLines(log);
            String error = exit == 0 || lines.isEmpty() ? "" : lines.get(lines.size() - 1);
            Map<String, Double> metrics = new LinkedHashMap<>();
            if (Files.isDirectory(dir)) {
                Files.copy(log, dir.resolve("run.log"));
                Path m = dir.resolve(RunDirectory.METRICS_FILE);
                if (exit == 0 && Files.isRegularFile(m)) {
                    Json.MAPPER.readTree(m.toFile()).fields().forEachRemaining(e -> {
                        if (e.getValue().isNumber()) {
                            metrics.put(e.getKey(), e.getValue().asDouble());
                        }
                    });
                }
                org.apache.hadoop.fs.Path target = new org.apache.hadoop.fs.Path(staging, RUNS + "/" + run.name());
                HadoopFiles.fileSystem(target, hadoop.get()).copyFromLocalFile(false, true,
                        new org.apache.hadoop.fs.Path(dir.toUri()), target);
            }
            return new Outcome(run, exit, (System.nanoTime() - t0) / 1e9, metrics, error);
        } catch (IOException e) {
            return new Outcome(run, -1, (System.nanoTime() - t0) / 1e9, Map.of(), "foil-spark: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FoilException("interrupted while " + run.name() + " trained");
        } finally {
            deleteQuietly(tmp);
        }
    }

    /**
     * Runs the grid, one run per task, and writes the table, its Parquet copy and the chart of {@code metric}.
     * Returns metrics.json's content (the sweep's own).
     */
    public Map<String, Object> run(Spark spark, String metric, RunDirectory dir, RunOutput output) {
        long t0 = System.nanoTime();
        List<Run> grid = grid();
        String staging = output.stagingDirectory();
        List<Outcome> outcomes = new ArrayList<>(spark.context().parallelize(grid, grid.size())
                .map(r -> train(r, staging)).collect());
        outcomes.sort(Comparator.comparingInt(o -> o.run().order()));
        Set<String> keys = new LinkedHashSet<>();
        outcomes.forEach(o -> keys.addAll(o.metrics().keySet()));
        writeTable(dir, outcomes, keys);
        StructType schema = new StructType().add("run", DataTypes.StringType).add("loss", DataTypes.StringType)
                .add("lr", DataTypes.DoubleType).add("seed", DataTypes.LongType).add("exit_code", DataTypes.IntegerType)
                .add("seconds", DataTypes.DoubleType).add("error", DataTypes.StringType);
        for (String k : keys) {
            schema = schema.add(k, DataTypes.DoubleType, true);
        }
        List<Row> rows = new ArrayList<>();
        for (Outcome o : outcomes) {
            List<Object> v = new ArrayList<>(List.of(o.run().name(), o.run().loss(), Double.parseDouble(o.run().lr()),
                    o.run().seed(), o.exitCode(), o.seconds(), o.error()));
            keys.forEach(k -> v.add(o.metrics().get(k)));
            rows.add(RowFactory.create(v.toArray()));
        }
        spark.session().createDataFrame(rows, schema).coalesce(1).write().parquet(output.staged(PARQUET));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("gan", gan);
        m.put("losses", losses);
        m.put("lrs", lrs);
        m.put("seeds", seeds);
        m.put("runs", outcomes.size());
        m.put("failed", outcomes.stream().filter(o -> o.exitCode() != 0).map(o -> o.run().name()).toList());
        m.put("metric", metric);
        m.put("by_setting", chart(dir, outcomes, metric));
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("run_seconds", outcomes.stream().mapToDouble(Outcome::seconds).sum());
        m.put("spark", spark.describe(grid.size()));
        dir.writeMetrics(m);
        return m;
    }

    private static void writeTable(RunDirectory dir, List<Outcome> outcomes, Set<String> keys) {
        StringBuilder csv = new StringBuilder("run,loss,lr,seed,exit_code,seconds,error");
        keys.forEach(k -> csv.append(',').append(k));
        csv.append('\n');
        for (Outcome o : outcomes) {
            csv.append(o.run().name()).append(',').append(o.run().loss()).append(',').append(o.run().lr()).append(',')
                    .append(o.run().seed()).append(',').append(o.exitCode()).append(',').append(o.seconds())
                    .append(',').append('"').append(o.error().replace("\"", "'")).append('"');
            for (String k : keys) {
                Double v = o.metrics().get(k);
                csv.append(',').append(v == null ? "" : v.toString());
            }
            csv.append('\n');
        }
        dir.writeText(TABLE, csv.toString());
    }

    /**
     * The chart of {@code metric} against log10(lr), per loss (none when no run reported it); returns the mean, min
     * and max per setting.
     */
    private List<Map<String, Object>> chart(RunDirectory dir, List<Outcome> outcomes, String metric) {
        List<Charts.Series> series = new ArrayList<>();
        List<Map<String, Object>> settings = new ArrayList<>();
        Color[] palette = {new Color(200, 40, 40), new Color(40, 90, 200), new Color(30, 150, 60),
            new Color(150, 60, 180), new Color(220, 130, 20), Color.DARK_GRAY};
        int k = 0;
        for (String loss : losses) {
            Color color = palette[k++ % palette.length];
            List<double[]> means = new ArrayList<>();
            List<double[]> points = new ArrayList<>();
            for (String lr : lrs) {
                double x = Math.log10(Double.parseDouble(lr));
                List<Double> values = outcomes.stream().filter(o -> o.run().loss().equals(loss)
                        && o.run().lr().equals(lr) && o.metrics().containsKey(metric))
                        .map(o -> o.metrics().get(metric)).toList();
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("loss", loss);
                s.put("lr", Double.parseDouble(lr));
                s.put("runs", values.size());
                if (!values.isEmpty()) {
                    double mean = values.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                    s.put("mean", mean);
                    s.put("min", values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN));
                    s.put("max", values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN));
                    means.add(new double[] {x, mean});
                    values.forEach(v -> points.add(new double[] {x, v}));
                }
                settings.add(s);
            }
            if (!means.isEmpty()) {
                series.add(new Charts.Series(loss, column(means, 0), column(means, 1), Charts.Line.SOLID, color));
                series.add(new Charts.Series(loss + " runs", column(points, 0), column(points, 1),
                        Charts.Line.CROSSED, color));
            }
        }
        if (series.isEmpty()) {
            System.err.println("foil: warning: no run reported " + metric + ", so no chart: choose another --metric "
                    + "(a number in the runs' metrics.json), or see the failed runs' run.log");
            return settings;
        }
        Png.write(Charts.render(new Charts.Frame("gan " + gan + ": " + metric + ", the mean over " + seeds.size()
                + " seed(s) and each run", "log10 learning rate", metric, null, null, 960, 540), series),
                dir.resolve(CHART));
        return settings;
    }

    private static double[] column(List<double[]> rows, int j) {
        return rows.stream().mapToDouble(r -> r[j]).toArray();
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind
        }
    }
}
