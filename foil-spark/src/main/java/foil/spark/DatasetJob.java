package foil.spark;

import foil.cli.DatasetBuild;
import foil.cli.ModelInput;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.Shard;
import foil.features.NonRobustDataset;
import foil.features.RobustDataset;
import foil.io.RunDirectory;
import foil.model.Classifier;
import foil.run.FeaturesJobs;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.storage.StorageLevel;

/**
 * The robustified (D_R) and non-robust (D_NR) datasets as a Spark job: the training images split into parts of
 * whole batches, each part a task that opens the model once and builds its images with the core's
 * {@code build(..., from, to)}, which gives each image exactly what the whole build gives it. The driver joins the
 * parts and writes the IDX files, the figure and metrics.json with the single-machine command's code; the built
 * images also go to {@code train.parquet} (index within the built set, label, the per-image figures, pixels).
 */
public record DatasetJob(Serializable spec, String model, float[] mean, float[] std, String data, Integer n,
        String trainSubset, int batch, long seed, HadoopFiles.Conf hadoop, int threads) implements Serializable {

    public static final String PARQUET = "train.parquet";

    /**
     * The images [from, to) of one part: pixels and labels, and per image {@code ints} (D_R: the start image;
     * D_NR: the original label), {@code predictions} (D_NR: the standard model's, at the new image),
     * {@code first} (D_R: the relative distance reached; D_NR: the L2 norm) and {@code second} (D_R: the
     * relative distance at the start).
     */
    public record Part(int from, int to, float[] pixels, int[] labels, int[] ints, int[] predictions, float[] first,
            float[] second) implements Serializable {}

    /** The training images the job builds from, found on this machine. */
    public ImageDataset training() {
        return DatasetBuild.trainingImages(source(), n, trainSubset, batch);
    }

    public DataSource source() {
        return HadoopFiles.data(data, hadoop);
    }

    /** Part {@code index} of {@code count}: run in a Spark task. */
    public Part buildPart(int index, int count) {
        Spark.pinTask(threads);
        ImageDataset train = training();
        int[] range = new Shard(index, count).range(train.size(), batch);
        Path path = HadoopFiles.local(model, hadoop);
        try (Classifier c = ModelInput.load(path, mean, std, train)) {
            if (spec instanceof RobustDataset r) {
                RobustDataset.Result b = r.build(ModelInput.requireFoilModel(c, path), train, seed, batch, range[0],
                        range[1]);
                return new Part(range[0], range[1], b.dataset().pixels(), b.dataset().labels(), b.starts(), null,
                        b.relativeDistance(), b.startDistance());
            }
            NonRobustDataset.Result b = ((NonRobustDataset) spec).build(c, train, seed, batch, range[0], range[1]);
            return new Part(range[0], range[1], b.dataset().pixels(), b.dataset().labels(), b.originalLabels(),
                    b.predictions(), b.l2(), null);
        }
    }

    /**
     * Builds the dataset over {@code partitions} parts of {@code train}, writes train.parquet into {@code output}'s
     * staging and the IDX files, the figure and metrics.json into {@code dir}. Returns metrics.json's content.
     */
    public Map<String, Object> run(Spark spark, ImageDataset train, ImageDataset test, String layer,
            String[] classNames, Integer partitions, RunDirectory dir, RunOutput output) {
        long t0 = System.nanoTime();
        int parts = spark.partitions(partitions, (train.size() + batch - 1) / batch);
        JavaRDD<Part> built = spark.context().parallelize(Spark.parts(parts), parts).map(p -> buildPart(p, parts))
                .persist(StorageLevel.MEMORY_AND_DISK());
        boolean robust = spec instanceof RobustDataset;
        int per = train.imageSize();
        spark.session().createDataFrame(built.flatMap(p -> rows(p, robust, per)), schema(robust)).write()
                .parquet(output.staged(PARQUET));
        List<Part> done = built.collect();
        built.unpersist();
        Map<String, Object> m;
        if (robust) {
            RobustDataset.Result r = new RobustDataset.Result(joined(train, done, "robustified"), ints(done),
                    floats(done, true), floats(done, false));
            m = FeaturesJobs.writeRobust((RobustDataset) spec, layer, r, train, test, classNames, dir);
        } else {
            NonRobustDataset s = (NonRobustDataset) spec;
            ImageDataset d = joined(train, done, "non-robust (" + s.targets().cliName + " targets)");
            int[] predictions = new int[d.size()];
            for (Part p : done) {
                System.arraycopy(p.predictions(), 0, predictions, p.from(), p.to() - p.from());
            }
            m = FeaturesJobs.writeNonRobust(s, new NonRobustDataset.Result(d, ints(done), predictions,
                    floats(done, true)), train, test, classNames, dir);
        }
        m = new LinkedHashMap<>(m);
        m.put("seconds", (System.nanoTime() - t0) / 1e9);
        m.put("spark", spark.describe(parts));
        dir.writeMetrics(m);
        return m;
    }

    /** The parts' images as one dataset, named as the single-machine build names it. */
    private static ImageDataset joined(ImageDataset train, List<Part> parts, String what) {
        int per = train.imageSize();
        float[] pixels = new float[train.size() * per];
        int[] labels = new int[train.size()];
        for (Part p : parts) {
            System.arraycopy(p.pixels(), 0, pixels, p.from() * per, p.pixels().length);
            System.arraycopy(p.labels(), 0, labels, p.from(), p.labels().length);
        }
        return new ImageDataset(train.name() + " " + what, pixels, labels, train.channels(), train.height(),
                train.width(), train.numClasses());
    }

    private static int[] ints(List<Part> parts) {
        int[] out = new int[parts.get(parts.size() - 1).to()];
        for (Part p : parts) {
            System.arraycopy(p.ints(), 0, out, p.from(), p.ints().length);
        }
        return out;
    }

    private static float[] floats(List<Part> parts, boolean first) {
        float[] out = new float[parts.get(parts.size() - 1).to()];
        for (Part p : parts) {
            float[] v = first ? p.first() : p.second();
            System.arraycopy(v, 0, out, p.from(), v.length);
        }
        return out;
    }

    static StructType schema(boolean robust) {
        StructType s = new StructType().add("index", DataTypes.IntegerType, false)
                .add("label", DataTypes.IntegerType, false);
        s = robust ? s.add("start", DataTypes.IntegerType, false)
                .add("relative_distance", DataTypes.FloatType, false)
                .add("relative_distance_at_start", DataTypes.FloatType, false)
                : s.add("original_label", DataTypes.IntegerType, false)
                .add("prediction", DataTypes.IntegerType, false)
                .add("l2", DataTypes.FloatType, false);
        return s.add("pixels", DataTypes.createArrayType(DataTypes.FloatType, false), false);
    }

    private static Iterator<Row> rows(Part p, boolean robust, int per) {
        List<Row> out = new ArrayList<>();
        for (int i = 0; i < p.to() - p.from(); i++) {
            float[] pixels = java.util.Arrays.copyOfRange(p.pixels(), i * per, (i + 1) * per);
            out.add(robust
                    ? RowFactory.create(p.from() + i, p.labels()[i], p.ints()[i], p.first()[i], p.second()[i], pixels)
                    : RowFactory.create(p.from() + i, p.labels()[i], p.ints()[i], p.predictions()[i], p.first()[i],
                            pixels));
        }
        return out.iterator();
    }
}
