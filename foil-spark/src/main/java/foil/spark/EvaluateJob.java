package foil.spark;

import foil.cli.EvaluationOptions;
import foil.data.ImageDataset;
import foil.eval.EvaluationRun;
import foil.eval.ImageResult;
import foil.eval.RobustnessEvaluation;
import foil.eval.Shard;
import foil.io.RunDirectory;
import foil.model.Classifier;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The robustness evaluation as a Spark job: the test images split into parts of whole batches (the shards of
 * {@code foil evaluate --shard}), each part a task that opens the model once and runs the evaluation on its
 * images, the per-image rows gathered on the driver, and the run directory written from them by the code of
 * the single-machine command, plus {@code per_image.parquet}. Per-image random streams make every row the one
 * the single-machine run gives.
 */
public record EvaluateJob(RobustnessEvaluation evaluation, String model, Float logitScale, String data,
        HadoopFiles.Conf hadoop, int threads) implements Serializable {

    public static final String PARQUET = "per_image.parquet";

    /** One part's rows, the seconds each attack took, and the model as the rows name it. */
    public record Part(List<ImageResult> rows, Map<String, Double> seconds, String model) implements Serializable {}

    /** The rows of part {@code index} of {@code count}: run in a Spark task. */
    public Part evaluatePart(int index, int count) {
        Spark.pinTask(threads);
        ImageDataset test = HadoopFiles.data(data, hadoop).test();
        try (Classifier c = EvaluationOptions.open(HadoopFiles.local(model, hadoop), logitScale, test)) {
            RobustnessEvaluation.Outcome o = evaluation.withShard(new Shard(index, count)).run(c, test, false);
            return new Part(new ArrayList<>(o.rows()), new HashMap<>(o.seconds()), c.describe());
        }
    }

    /**
     * Runs the evaluation over {@code partitions} parts (at most one per batch) of {@code test}'s first images and
     * writes the run: evaluation.json, per_image.csv, metrics.json and the chart into {@code dir}, the Parquet table
     * into {@code output}'s staging. Returns metrics.json's content.
     */
    public Map<String, Object> run(Spark spark, ImageDataset test, Integer partitions, RunDirectory dir,
            RunOutput output) {
        long t0 = System.nanoTime();
        int total = Math.min(evaluation.n(), test.size());
        int parts = spark.partitions(partitions, (total + evaluation.batch() - 1) / evaluation.batch());
        List<Part> done = spark.context().parallelize(Spark.parts(parts), parts)
                .map(p -> evaluatePart(p, parts)).collect();
        List<ImageResult> rows = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        for (Part p : done) {
            rows.addAll(p.rows());
            p.seconds().forEach((k, v) -> seconds.merge(k, v, Double::sum));
        }
        rows.sort(Comparator.comparingInt(ImageResult::index).thenComparingDouble(ImageResult::eps));
        List<Row> table = new ArrayList<>();
        for (ImageResult r : rows) {
            table.add(row(r));
        }
        spark.session().createDataFrame(table, SCHEMA).coalesce(1).write().parquet(output.staged(PARQUET));
        Map<String, Object> extra = new LinkedHashMap<>();
        extra.put("data", test.name());
        extra.put("spark", spark.describe(parts));
        return EvaluationRun.write(evaluation, rows, 0, total, (System.nanoTime() - t0) / 1e9, seconds,
                done.get(0).model(), extra, dir);
    }

    /** per_image.parquet's columns: per_image.csv's. */
    public static final StructType SCHEMA = new StructType()
            .add("index", DataTypes.IntegerType, false)
            .add("label", DataTypes.IntegerType, false)
            .add("clean_prediction", DataTypes.IntegerType, false)
            .add("eps", DataTypes.FloatType, false)
            .add("adversarial_prediction", DataTypes.IntegerType, false)
            .add("fooled_by", DataTypes.StringType, false)
            .add("linf", DataTypes.FloatType, false)
            .add("l2", DataTypes.FloatType, false)
            .add("gradient", DataTypes.StringType, false)
            .add("outputs", DataTypes.StringType, false)
            .add("repeatable", DataTypes.BooleanType, false)
            .add("pgd_fooled", DataTypes.BooleanType, true)
            .add("single_step_fooled", DataTypes.BooleanType, true)
            .add("unbounded_fooled", DataTypes.BooleanType, true);

    static Row row(ImageResult r) {
        return RowFactory.create(r.index(), r.label(), r.cleanPrediction(), r.eps(), r.adversarialPrediction(),
                r.fooledBy(), r.linf(), r.l2(), r.gradient(), r.outputs(), r.repeatable(), r.pgdFooled(),
                r.singleStepFooled(), r.unboundedFooled());
    }

    /** A row of per_image.parquet as the record every figure is computed from. */
    public static ImageResult result(Row r) {
        return new ImageResult(r.getInt(0), r.getInt(1), r.getInt(2), r.getFloat(3), r.getInt(4), r.getString(5),
                r.getFloat(6), r.getFloat(7), r.getString(8), r.getString(9), r.getBoolean(10), flag(r, 11),
                flag(r, 12), flag(r, 13));
    }

    private static Boolean flag(Row r, int i) {
        return r.isNullAt(i) ? null : r.getBoolean(i);
    }
}
