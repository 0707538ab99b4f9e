package foil.eval;

import foil.FoilException;
import foil.data.ImageDataset;
import foil.io.Json;
import foil.io.Npz;
import foil.io.RunDirectory;
import foil.model.Classifier;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An evaluation written to a run directory: per_image.csv (every figure's source), metrics.json, the chart of
 * robust accuracy after each attack and, when asked, examples.npz; and the merge of shards' directories into
 * the figures of one run.
 */
public final class EvaluationRun {
    private EvaluationRun() {}

    public static final String CHART = "robust_accuracy.png";
    public static final String SETTINGS = "evaluation.json";

    /** Runs {@code evaluation} on {@code test} and writes its directory; returns metrics.json's content. */
    public static Map<String, Object> execute(RobustnessEvaluation evaluation, Classifier classifier,
            ImageDataset test, RunDirectory dir, boolean saveExamples, Map<String, Object> extra) {
        long t0 = System.nanoTime();
        RobustnessEvaluation.Outcome o = evaluation.run(classifier, test, saveExamples);
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> m = write(evaluation, o.rows(), o.from(), o.to(), seconds, o.seconds(),
                classifier.describe(), extra, dir);
        if (saveExamples && o.to() > o.from()) {
            writeExamples(dir, o, test, evaluation.eps());
        }
        return m;
    }

    /**
     * Writes the directory of an evaluation of images [from, to) from its rows: evaluation.json, per_image.csv,
     * metrics.json (the settings, every figure computed from the rows, the time, {@code extra}) and the chart.
     * Returns metrics.json's content. Rows gathered elsewhere (a cluster's partitions) give the figures of one run.
     */
    public static Map<String, Object> write(RobustnessEvaluation evaluation, List<ImageResult> rows, int from,
            int to, double seconds, Map<String, Double> secondsPerAttack, String model, Map<String, Object> extra,
            RunDirectory dir) {
        Map<String, Object> settings = settings(evaluation, from, to);
        dir.writeJson(SETTINGS, settings);
        PerImageTable.write(dir.resolve(PerImageTable.FILE), rows);
        Map<String, Object> m = new LinkedHashMap<>(settings);
        m.putAll(EvaluationSummary.metrics(rows, evaluation.attacks(), evaluation.eps()));
        m.put("seconds", seconds);
        m.put("seconds_per_attack", secondsPerAttack);
        m.put("model", model);
        m.putAll(extra);
        dir.writeMetrics(m);
        EvaluationSummary.chart(dir.resolve(CHART), m, evaluation.attacks(), evaluation.eps(),
                "Robust accuracy after each attack (" + model + ")");
        return m;
    }

    private static Map<String, Object> settings(RobustnessEvaluation e, int from, int to) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("norm", e.norm().cliName);
        List<Float> eps = new ArrayList<>();
        for (float v : e.eps()) {
            eps.add(v);
        }
        s.put("eps_list", eps);
        s.put("attacks", e.attacks());
        s.put("n_requested", e.n());
        s.put("batch", e.batch());
        s.put("seed", e.seed());
        s.put("checks", e.checks());
        s.put("unbounded_n", e.unboundedN());
        s.put("shard", e.shard().toString());
        s.put("images", List.of(from, to));
        return s;
    }

    private static void writeExamples(RunDirectory dir, RobustnessEvaluation.Outcome o, ImageDataset test,
            float[] eps) {
        int count = o.to() - o.from();
        long[] shape = {count, test.channels(), test.height(), test.width()};
        Npz npz = new Npz().addFloat32("x", o.images(), shape);
        int[] y = java.util.Arrays.copyOfRange(test.labels(), o.from(), o.to());
        npz.addInt64("y", y, count);
        for (int e = 0; e < eps.length; e++) {
            final float at = eps[e];
            int[] pred = o.rows().stream().filter(r -> r.eps() == at).mapToInt(ImageResult::adversarialPrediction)
                    .toArray();
            String suffix = eps.length == 1 ? "" : "_" + e;
            npz.addFloat32("x_adv" + suffix, o.adversarial()[e], shape).addInt64("pred_adv" + suffix, pred, count);
        }
        try {
            npz.write(dir.resolve("examples.npz"));
        } catch (IOException ex) {
            throw new FoilException("cannot write " + dir.resolve("examples.npz") + ": " + ex.getMessage());
        }
    }

    /**
     * Merges the directories of shards of one evaluation: their settings must agree but for the shard, their
     * images must not overlap and must cover the evaluation's images. Returns metrics.json's content.
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> merge(List<Path> shards, RunDirectory out) {
        if (shards.isEmpty()) {
            throw new FoilException("--merge needs the directories of the shards to merge");
        }
        Map<String, Object> reference = null;
        List<ImageResult> rows = new ArrayList<>();
        List<int[]> ranges = new ArrayList<>();
        int count = 0;
        for (Path p : shards) {
            Path file = p.resolve(SETTINGS);
            if (!Files.isRegularFile(file)) {
                throw new FoilException(p + " is not the directory of a foil evaluate run (no " + SETTINGS + ")");
            }
            Map<String, Object> s;
            try {
                s = Json.MAPPER.readValue(file.toFile(), Map.class);
            } catch (IOException e) {
                throw new FoilException(file + " is damaged (" + FoilException.firstLine(e.getMessage())
                        + "): run that shard again");
            }
            Map<String, Object> key = new LinkedHashMap<>(s);
            String shard = (String) key.remove("shard");
            List<Integer> images = (List<Integer>) key.remove("images");
            if (reference == null) {
                reference = key;
                count = Shard.parse(shard).count();
            } else if (!reference.equals(key)) {
                throw new FoilException(p + " was run with other settings than " + shards.get(0) + ": " + key
                        + " against " + reference);
            }
            ranges.add(new int[] {images.get(0), images.get(1)});
            rows.addAll(PerImageTable.read(p.resolve(PerImageTable.FILE)));
        }
        ranges.sort(java.util.Comparator.comparingInt(r -> r[0]));
        for (int i = 1; i < ranges.size(); i++) {
            if (ranges.get(i)[0] != ranges.get(i - 1)[1]) {
                throw new FoilException("the shards do not join up: images " + ranges.get(i - 1)[0] + "-"
                        + ranges.get(i - 1)[1] + " then " + ranges.get(i)[0] + "-" + ranges.get(i)[1]
                        + " (a shard is missing or given twice)");
            }
        }
        if (ranges.size() != count || ranges.get(0)[0] != 0) {
            throw new FoilException("--merge got " + ranges.size() + " shards of " + count + ": give all of them");
        }
        rows.sort(java.util.Comparator.comparingInt(ImageResult::index).thenComparingDouble(ImageResult::eps));
        List<String> attacks = (List<String>) reference.get("attacks");
        List<Number> epsList = (List<Number>) reference.get("eps_list");
        float[] eps = new float[epsList.size()];
        for (int i = 0; i < eps.length; i++) {
            eps[i] = epsList.get(i).floatValue();
        }
        Map<String, Object> settings = new LinkedHashMap<>(reference);
        settings.put("shard", "1/1");
        settings.put("images", List.of(0, ranges.get(ranges.size() - 1)[1]));
        settings.put("merged_from", shards.stream().map(Path::toString).toList());
        out.writeJson(SETTINGS, settings);
        PerImageTable.write(out.resolve(PerImageTable.FILE), rows);
        Map<String, Object> m = new LinkedHashMap<>(settings);
        m.putAll(EvaluationSummary.metrics(rows, attacks, eps));
        out.writeMetrics(m);
        EvaluationSummary.chart(out.resolve(CHART), m, attacks, eps, "Robust accuracy after each attack (merged)");
        return m;
    }
}
