package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import foil.Foil;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.io.Progress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs one attack over a dataset in batches, one NDManager scope per batch, and gathers what the reports
 * need: clean and adversarial predictions, success, distortion, and (optionally) the images themselves.
 */
public final class AttackRun {
    private AttackRun() {}

    /**
     * How every figure of an attack is counted, as RobustBench and the attack papers count them: a robust image
     * is classified correctly both clean and adversarial (an image the model gets wrong clean never counts as
     * robust, whatever its adversarial is classified as); an attack succeeds on an image the model classified
     * correctly clean, and its success rate and mean distortions are over those images.
     */
    public static final String COUNTING = "robust_accuracy: correct on the clean image and on the adversarial one, "
            + "over all n (RobustBench); attack_success_rate: over the correctly classified clean images; mean norms: "
            + "over the successful attacks on those images";

    /** The outcome over all attacked examples. Images are kept only when asked for. */
    public record Outcome(String method, String norm, float eps, String goal, int n, int[] labels,
            int[] targets, int[] cleanPredictions, int[] adversarialPredictions, boolean[] success,
            float[] linf, float[] l2, float[] rms, double seconds, float[] images, float[] adversarial,
            int[] queries) {

        /** An outcome of an attack that counts no queries. */
        public Outcome(String method, String norm, float eps, String goal, int n, int[] labels, int[] targets,
                int[] cleanPredictions, int[] adversarialPredictions, boolean[] success, float[] linf, float[] l2,
                float[] rms, double seconds, float[] images, float[] adversarial) {
            this(method, norm, eps, goal, n, labels, targets, cleanPredictions, adversarialPredictions, success, linf,
                    l2, rms, seconds, images, adversarial, null);
        }

        public boolean cleanCorrect(int i) {
            return cleanPredictions[i] == labels[i];
        }

        /** The attack reached its goal on an image the model classified correctly clean. */
        public boolean successful(int i) {
            return cleanCorrect(i) && success[i];
        }

        public double cleanAccuracy() {
            return fraction(this::cleanCorrect, n);
        }

        /** Correct on the clean image and on the adversarial one, over all n. */
        public double robustAccuracy() {
            return fraction(i -> cleanCorrect(i) && adversarialPredictions[i] == labels[i], n);
        }

        /** Successful attacks over the images classified correctly clean (0 when there are none). */
        public double successRate() {
            return fraction(this::successful, count(this::cleanCorrect));
        }

        private int count(java.util.function.IntPredicate p) {
            int k = 0;
            for (int i = 0; i < n; i++) {
                k += p.test(i) ? 1 : 0;
            }
            return k;
        }

        private double fraction(java.util.function.IntPredicate p, int of) {
            return of == 0 ? 0 : (double) count(p) / of;
        }

        /** Mean of a per-example norm over the successful attacks (0 when there are none). */
        public double meanOverSuccess(float[] values) {
            double sum = 0;
            for (int i = 0; i < n; i++) {
                sum += successful(i) ? values[i] : 0;
            }
            int k = count(this::successful);
            return k == 0 ? 0 : sum / k;
        }

        /** The metrics every attack run reports. */
        public Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("norm", norm);
            m.put("eps", eps);
            m.put("goal", goal);
            m.put("n", n);
            m.put("correctly_classified", count(this::cleanCorrect));
            m.put("successful", count(this::successful));
            m.put("counting", COUNTING);
            m.put("clean_accuracy", cleanAccuracy());
            m.put("robust_accuracy", robustAccuracy());
            m.put("attack_success_rate", successRate());
            m.put("mean_linf", meanOverSuccess(linf));
            m.put("mean_l2", meanOverSuccess(l2));
            m.put("mean_rms", meanOverSuccess(rms));
            m.put("max_linf", max(linf));
            if (queries != null) {
                putQueries(m);
            }
            m.put("seconds", seconds);
            m.put("images_per_second", seconds > 0 ? n / seconds : 0);
            return m;
        }

        /**
         * Queries of the model per image (black-box attacks): mean and median over the successful examples, as
         * the Square paper reports them, the mean over all, and the total.
         */
        private void putQueries(Map<String, Object> m) {
            List<Integer> ok = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < n; i++) {
                total += queries[i];
                if (success[i]) {
                    ok.add(queries[i]);
                }
            }
            int[] q = ok.stream().mapToInt(Integer::intValue).sorted().toArray();
            m.put("mean_queries", q.length == 0 ? 0 : (double) java.util.Arrays.stream(q).asLongStream().sum() / q.length);
            m.put("median_queries", q.length == 0 ? 0 : q.length % 2 == 1 ? q[q.length / 2]
                    : (q[q.length / 2 - 1] + q[q.length / 2]) / 2.0);
            m.put("queries_over", "successful examples");
            m.put("mean_queries_all", n == 0 ? 0 : (double) total / n);
            m.put("total_queries", total);
            m.put("queries_per_second", seconds > 0 ? total / seconds : 0);
        }

        private static double max(float[] v) {
            double m = 0;
            for (float f : v) {
                m = Math.max(m, f);
            }
            return m;
        }
    }

    /**
     * Attacks the examples of {@code data} (all of them; slice it first to attack fewer) in batches of
     * {@code batch}. Examples whose label is the fixed target are left out, since they need no attack.
     */
    public static Outcome run(Attack attack, Classifier classifier, ImageDataset data, Targeting targeting,
            int batch, long seed, boolean keepImages) {
        Foil.seed(seed);
        List<Integer> chosen = new ArrayList<>();
        for (int i = 0; i < data.size(); i++) {
            if (targeting.attacks(data.labels()[i])) {
                chosen.add(i);
            }
        }
        int n = chosen.size();
        int[] index = chosen.stream().mapToInt(Integer::intValue).toArray();
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = data.labels()[index[i]];
        }
        int[] targets = targeting.targets(labels, classifier.numClasses());
        int[] clean = new int[n];
        int[] adv = new int[n];
        boolean[] success = new boolean[n];
        float[] linf = new float[n];
        float[] l2 = new float[n];
        float[] rms = new float[n];
        int[] queries = null;
        int per = data.imageSize();
        float[] images = keepImages ? new float[n * per] : null;
        float[] advImages = keepImages ? new float[n * per] : null;
        long nanos = 0;
        try (NDManager root = NDManager.newBaseManager(Foil.device());
                Progress bar = Progress.start(attack.method() + " " + targeting.describe(), n)) {
            for (int from = 0; from < n; from += batch) {
                int to = Math.min(n, from + batch);
                try (NDManager scope = root.newSubManager()) {
                    NDArray x = data.images(scope, index, from, to);
                    NDArray y = data.labels(scope, index, from, to);
                    NDArray t = targets == null ? null : scope.create(slice(targets, from, to)).toType(
                            DataType.INT64, false);
                    int[] c = classifier.predict(x);
                    long start = System.nanoTime();
                    // each image's random numbers from its own stream: the result does not depend on --batch
                    AttackResult r = attack.run(classifier, x, y, t, ImageRandom.of(seed,
                            java.util.Arrays.copyOfRange(index, from, to)));
                    nanos += System.nanoTime() - start;
                    System.arraycopy(c, 0, clean, from, to - from);
                    System.arraycopy(r.predictions(), 0, adv, from, to - from);
                    System.arraycopy(r.success(), 0, success, from, to - from);
                    System.arraycopy(r.distortion().linf(), 0, linf, from, to - from);
                    System.arraycopy(r.distortion().l2(), 0, l2, from, to - from);
                    System.arraycopy(r.distortion().rms(), 0, rms, from, to - from);
                    if (r.queries() != null) {
                        queries = queries == null ? new int[n] : queries;
                        System.arraycopy(r.queries(), 0, queries, from, to - from);
                    }
                    if (keepImages) {
                        System.arraycopy(x.toFloatArray(), 0, images, from * per, (to - from) * per);
                        System.arraycopy(r.adversarial().toFloatArray(), 0, advImages, from * per,
                                (to - from) * per);
                    }
                }
                bar.step(to - from);
            }
        }
        return new Outcome(attack.method(), attack.norm().cliName, attack.eps(), targeting.describe(), n, labels,
                targets, clean, adv, success, linf, l2, rms, nanos / 1e9, images, advImages, queries);
    }

    private static int[] slice(int[] a, int from, int to) {
        return java.util.Arrays.copyOfRange(a, from, to);
    }
}
