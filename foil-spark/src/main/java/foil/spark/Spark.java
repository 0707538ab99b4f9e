package foil.spark;

import ai.djl.pytorch.jni.JniUtils;
import foil.Foil;
import foil.FoilException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * A Spark session for one of Foil's jobs, and what every task does first. The master is --spark's, or
 * spark-submit's; each task runs its PyTorch work on {@code taskThreads} threads (1 unless --threads says more,
 * and then Spark gives the task as many cores), so an executor with C cores runs C tasks at once without
 * oversubscribing them.
 */
public final class Spark implements AutoCloseable {
    private final SparkSession session;
    private final int taskThreads;

    private Spark(SparkSession session, int taskThreads) {
        this.session = session;
        this.taskThreads = taskThreads;
    }

    /** Starts (or joins) the session; {@code master} may be null under spark-submit. */
    public static Spark start(String app, String master, int threads) {
        int taskThreads = threads > 0 ? threads : 1;
        SparkConf conf = new SparkConf(); // with spark-submit's settings
        if (master != null) {
            conf.setMaster(master);
        }
        if (!conf.contains("spark.master")) {
            throw new FoilException("no Spark master: give --spark MASTER (local[N], spark://HOST:7077, yarn, "
                    + "k8s://...) or start the job with spark-submit --master");
        }
        conf.setIfMissing("spark.app.name", "foil " + app);
        if (taskThreads > 1) {
            conf.setIfMissing("spark.task.cpus", Integer.toString(taskThreads));
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.setIfMissing("spark.ui.enabled", "false");
        }
        try {
            return new Spark(SparkSession.builder().config(conf).getOrCreate(), taskThreads);
        } catch (RuntimeException e) {
            throw new FoilException("cannot start Spark with master " + conf.get("spark.master") + " ("
                    + FoilException.firstLine(String.valueOf(e.getMessage())) + ")");
        }
    }

    public SparkSession session() {
        return session;
    }

    public JavaSparkContext context() {
        return JavaSparkContext.fromSparkContext(session.sparkContext());
    }

    public HadoopFiles.Conf hadoop() {
        return new HadoopFiles.Conf(session.sparkContext().hadoopConfiguration());
    }

    public int taskThreads() {
        return taskThreads;
    }

    /** The parts to split {@code units} into: --partitions, else the cluster's parallelism; at most one per unit. */
    public int partitions(Integer requested, int units) {
        if (requested != null && requested < 1) {
            throw new FoilException("--partitions must be positive, not " + requested);
        }
        int p = requested != null ? requested : context().defaultParallelism();
        return Math.max(1, Math.min(p, units));
    }

    /** Parts 1..count, one per Spark partition. */
    public static List<Integer> parts(int count) {
        List<Integer> parts = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            parts.add(i);
        }
        return parts;
    }

    /** What metrics.json says of the cluster the job ran on. */
    public Map<String, Object> describe(int partitions) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("master", session.sparkContext().master());
        s.put("spark", session.version());
        s.put("partitions", partitions);
        s.put("threads_per_task", taskThreads);
        s.put("application", session.sparkContext().applicationId());
        return s;
    }

    /**
     * What a task does before its work: no progress bars, and PyTorch on {@code threads} threads in this task's
     * thread (PyTorch's thread count is a setting of each calling thread; Spark reuses its task threads).
     */
    public static void pinTask(int threads) {
        System.setProperty("foil.quiet", "true");
        Foil.configure(threads);
        Foil.engine();
        if (JniUtils.getNumThreads() != threads) {
            JniUtils.setNumThreads(threads);
        }
    }

    @Override
    public void close() {
        session.stop();
    }
}
