package foil.eval;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.attack.Apgd;
import foil.attack.Attack;
import foil.attack.AttackResult;
import foil.attack.Budget;
import foil.attack.CrossEntropyGradient;
import foil.attack.Fgsm;
import foil.attack.ImageRandom;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.data.ImageDataset;
import foil.io.Progress;
import foil.model.Classifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A robustness evaluation in AutoAttack's manner: at each budget, the attacks of an ensemble run in order, each
 * on the images all earlier ones failed on, and an image counts as robust when the model is right on it and on
 * every attack's adversarial (RobustBench's count). With {@code checks}, it also gathers per image the evidence
 * of Athalye et al.'s checklist: gradients that are zero or not finite, outputs that are probabilities, a
 * forward pass that does not repeat, PGD-20 and a single gradient step at the same budget, and an attack with an
 * unbounded budget on the first {@code unboundedN} images. Random numbers come from each image's own stream
 * (seeded by {@code seed}, the image's index, the budget and the attack), so a shard gives the rows the whole
 * run gives for its images.
 */
public record RobustnessEvaluation(Norm norm, float[] eps, List<String> attacks, int n, int batch, long seed,
        Shard shard, boolean checks, int unboundedN) implements java.io.Serializable {

    public RobustnessEvaluation {
        if (eps.length == 0) {
            throw new FoilException("--eps needs at least one budget");
        }
        for (float e : eps) {
            Budget.check(norm, e);
        }
        if (n < 1 || batch < 1 || unboundedN < 0) {
            throw new FoilException("--n and --batch must be positive");
        }
        for (String a : attacks) {
            Ensemble.build(a, norm, eps[0]); // fails early on a name or a setting
        }
    }

    /**
     * AutoAttack's standard version at one budget on the first {@code n} test images, with the trust checks
     * (the unbounded-budget check on the first 100), seed 0: what {@code foil evaluate --version standard} runs.
     */
    public static RobustnessEvaluation standard(Norm norm, float eps, int n) {
        return new RobustnessEvaluation(norm, new float[] {eps}, Ensemble.version("standard"), n, 250, 0,
                Shard.WHOLE, true, Math.min(100, n));
    }

    /** This evaluation on another part of the images (a shard, or a Spark partition). */
    public RobustnessEvaluation withShard(Shard part) {
        return new RobustnessEvaluation(norm, eps, attacks, n, batch, seed, part, checks, unboundedN);
    }

    /** The evaluation's figures (metrics.json's content) on {@code test}, for callers of the Java API. */
    public EvaluationResult evaluate(Classifier classifier, ImageDataset test) {
        List<ImageResult> rows = run(classifier, test, false).rows();
        return new EvaluationResult(rows, EvaluationSummary.metrics(rows, attacks, eps));
    }

    /** The rows of the shard's images, the time each attack took, and the images when asked for. */
    public record Outcome(List<ImageResult> rows, Map<String, Double> seconds, float[] images,
            float[][] adversarial, int from, int to) {}

    public Outcome run(Classifier classifier, ImageDataset test, boolean keepImages) {
        if (!classifier.hasGradients()) {
            List<String> white = attacks.stream().filter(Ensemble::whiteBox).toList();
            if (!white.isEmpty()) {
                throw new FoilException(classifier.describe() + " gives outputs but no gradients, and " + white
                        + " need them: evaluate it with black-box attacks only (--attacks square), whose robust "
                        + "accuracy is an upper bound");
            }
        }
        int total = Math.min(n, test.size());
        int[] range = shard.range(total, batch);
        int from = range[0];
        int to = range[1];
        int per = test.imageSize();
        List<ImageResult> rows = new ArrayList<>();
        Map<String, Double> seconds = new LinkedHashMap<>();
        float[] images = keepImages ? Arrays.copyOfRange(test.pixels(), from * per, to * per) : null;
        float[][] adversarial = keepImages ? new float[eps.length][] : null;
        if (keepImages) {
            for (int e = 0; e < eps.length; e++) {
                adversarial[e] = images.clone();
            }
        }
        try (Progress bar = Progress.start("evaluate " + String.join(",", attacks), (long) (to - from) * eps.length)) {
            for (int start = from; start < to; start += batch) {
                int end = Math.min(to, start + batch);
                try (NDManager scope = NDManager.newBaseManager(Foil.device())) {
                    batch(classifier, test, start, end, scope, rows, seconds, adversarial, from, bar);
                }
            }
        }
        rows.sort(java.util.Comparator.comparingInt(ImageResult::index).thenComparingDouble(ImageResult::eps));
        return new Outcome(rows, seconds, images, adversarial, from, to);
    }

    private void batch(Classifier classifier, ImageDataset test, int start, int end, NDManager scope,
            List<ImageResult> rows, Map<String, Double> seconds, float[][] adversarial, int from, Progress bar) {
        int b = end - start;
        int per = test.imageSize();
        NDArray x = test.images(scope, start, end);
        NDArray y = test.labels(scope, start, end);
        int[] labels = Arrays.copyOfRange(test.labels(), start, end);
        int[] index = new int[b];
        for (int i = 0; i < b; i++) {
            index[i] = start + i;
        }
        float[] pixels = x.toFloatArray();
        int[] clean;
        String[] outputs = new String[b];
        boolean[] repeatable = new boolean[b];
        try (NDArray logits = classifier.logits(x); NDArray again = classifier.logits(x)) {
            clean = logits.argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
            float[] z = logits.toFloatArray();
            float[] z2 = again.toFloatArray();
            int k = classifier.numClasses();
            for (int i = 0; i < b; i++) {
                outputs[i] = OutputKind.of(z, i * k, k);
                repeatable[i] = TrustChecks.same(z, z2, i * k, k);
            }
        }
        boolean[] correct = new boolean[b];
        for (int i = 0; i < b; i++) {
            correct[i] = clean[i] == labels[i];
        }
        String[] gradient = new String[b];
        Arrays.fill(gradient, "");
        Boolean[] unbounded = new Boolean[b];
        boolean white = checks && classifier.hasGradients(); // the checks that attack need gradients
        if (white) {
            gradientCheck(classifier, x, y, gradient);
            unboundedCheck(classifier, pixels, x.getShape(), labels, index, correct, unbounded, scope);
        }
        for (int e = 0; e < eps.length; e++) {
            String[] fooledBy = new String[b];
            for (int i = 0; i < b; i++) {
                fooledBy[i] = correct[i] ? "" : ImageResult.CLEAN;
            }
            int[] advPred = clean.clone();
            float[] advPixels = pixels.clone();
            for (int a = 0; a < attacks.size(); a++) {
                String name = attacks.get(a);
                int[] rows1 = select(fooledBy, "");
                if (rows1.length == 0) {
                    break;
                }
                Attack attack = Ensemble.build(name, norm, eps[e]);
                long t0 = System.nanoTime();
                AttackResult r = attackRows(attack, classifier, pixels, x.getShape(), labels, index, rows1,
                        streamSeed(e, name), scope);
                seconds.merge(name, (System.nanoTime() - t0) / 1e9, Double::sum);
                float[] adv = r.adversarial().toFloatArray();
                for (int j = 0; j < rows1.length; j++) {
                    int i = rows1[j];
                    if (r.predictions()[j] != labels[i]) {
                        fooledBy[i] = name;
                        advPred[i] = r.predictions()[j];
                        System.arraycopy(adv, j * per, advPixels, i * per, per);
                    }
                }
            }
            Boolean[] pgd = new Boolean[b];
            Boolean[] single = new Boolean[b];
            if (white) {
                int[] attacked = select(fooledBy, null);
                long t0 = System.nanoTime();
                fooled(attackRows(Pgd.of(norm, eps[e], 20), classifier, pixels, x.getShape(), labels, index,
                        attacked, streamSeed(e, "check-pgd"), scope), attacked, labels, pgd);
                Attack step = norm == Norm.LINF ? new Fgsm(eps[e]) : new Pgd(norm, eps[e], eps[e], 1, false, 1);
                fooled(attackRows(step, classifier, pixels, x.getShape(), labels, index, attacked,
                        streamSeed(e, "check-single"), scope), attacked, labels, single);
                seconds.merge("checks", (System.nanoTime() - t0) / 1e9, Double::sum);
            }
            float[][] norms = norms(pixels, advPixels, b, per);
            for (int i = 0; i < b; i++) {
                rows.add(new ImageResult(index[i], labels[i], clean[i], eps[e], advPred[i], fooledBy[i],
                        norms[0][i], norms[1][i], gradient[i], outputs[i], repeatable[i], pgd[i], single[i],
                        unbounded[i]));
            }
            if (adversarial != null) {
                System.arraycopy(advPixels, 0, adversarial[e], (start - from) * per, b * per);
            }
            bar.step(b);
        }
    }

    /** The seed of one attack's streams at budget e: the same in every shard. */
    private long streamSeed(int e, String name) {
        return ImageRandom.mix(ImageRandom.mix(seed, e), name.hashCode());
    }

    /** Rows whose fooledBy is "" (still robust), or, for {@code null}, those the model got right. */
    private static int[] select(String[] fooledBy, String value) {
        int k = 0;
        int[] out = new int[fooledBy.length];
        for (int i = 0; i < fooledBy.length; i++) {
            boolean take = value == null ? !ImageResult.CLEAN.equals(fooledBy[i]) : fooledBy[i].equals(value);
            if (take) {
                out[k++] = i;
            }
        }
        return Arrays.copyOf(out, k);
    }

    private static void fooled(AttackResult r, int[] rows, int[] labels, Boolean[] out) {
        if (r == null) {
            return;
        }
        for (int j = 0; j < rows.length; j++) {
            out[rows[j]] = r.predictions()[j] != labels[rows[j]];
        }
    }

    /** Runs an attack on some rows of the batch, each with its own random stream. */
    private static AttackResult attackRows(Attack attack, Classifier classifier, float[] pixels, Shape shape,
            int[] labels, int[] index, int[] rows, long streamSeed, NDManager scope) {
        if (rows.length == 0) {
            return null;
        }
        int per = (int) (shape.size() / shape.get(0));
        float[] sub = new float[rows.length * per];
        long[] y = new long[rows.length];
        int[] idx = new int[rows.length];
        for (int j = 0; j < rows.length; j++) {
            System.arraycopy(pixels, rows[j] * per, sub, j * per, per);
            y[j] = labels[rows[j]];
            idx[j] = index[rows[j]];
        }
        NDArray x = scope.create(sub, new Shape(rows.length).addAll(shape.slice(1)));
        return attack.run(classifier, x, scope.create(y), null, ImageRandom.of(streamSeed, idx));
    }

    /** Cross-entropy input gradients at the clean images: "zero", "nonfinite" or "ok" per image. */
    private static void gradientCheck(Classifier classifier, NDArray x, NDArray y, String[] out) {
        CrossEntropyGradient g = CrossEntropyGradient.at(classifier, x, y);
        float[] v = g.gradient().toFloatArray();
        g.loss().close();
        g.logits().close();
        g.gradient().close();
        int per = v.length / out.length;
        for (int i = 0; i < out.length; i++) {
            boolean zero = true;
            boolean finite = true;
            for (int p = i * per; p < (i + 1) * per; p++) {
                zero &= v[p] == 0f;
                finite &= Float.isFinite(v[p]);
            }
            out[i] = !finite ? "nonfinite" : zero ? "zero" : "ok";
        }
    }

    /**
     * APGD-CE, then APGD-DLR on the survivors, with a budget that covers the whole box, on the images among the
     * first {@code unboundedN} that the model gets right: a sound attack fools every one of them.
     */
    private void unboundedCheck(Classifier classifier, float[] pixels, Shape shape, int[] labels, int[] index,
            boolean[] correct, Boolean[] out, NDManager scope) {
        float big = norm == Norm.LINF ? 1f : (float) Math.min(100, Math.sqrt(shape.size() / shape.get(0)));
        int k = 0;
        int[] rows = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            if (correct[i] && index[i] < unboundedN) {
                rows[k++] = i;
                out[i] = false;
            }
        }
        rows = Arrays.copyOf(rows, k);
        for (Apgd.Loss loss : Apgd.Loss.values()) {
            int[] left = Arrays.stream(rows).filter(i -> !out[i]).toArray();
            AttackResult r = attackRows(new Apgd(norm, big, 100, loss, 1, 0.75f, 0.75f), classifier, pixels, shape,
                    labels, index, left, ImageRandom.mix(seed, ("unbounded-" + loss).hashCode()), scope);
            if (r != null) {
                for (int j = 0; j < left.length; j++) {
                    out[left[j]] = r.predictions()[j] != labels[left[j]];
                }
            }
        }
    }

    private static float[][] norms(float[] x, float[] adv, int b, int per) {
        float[][] out = new float[2][b];
        for (int i = 0; i < b; i++) {
            double sq = 0;
            float max = 0;
            for (int p = i * per; p < (i + 1) * per; p++) {
                float d = adv[p] - x[p];
                sq += (double) d * d;
                max = Math.max(max, Math.abs(d));
            }
            out[0][i] = max;
            out[1][i] = (float) Math.sqrt(sq);
        }
        return out;
    }
}
