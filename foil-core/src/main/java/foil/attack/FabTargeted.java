package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import foil.FoilException;
import foil.model.Classifier;

/**
 * FAB-T, the targeted fast adaptive boundary attack of Croce and Hein (2020), as AutoAttack runs it: against
 * each of the {@code targetClasses} classes the model ranks highest after its prediction on the clean image
 * (the second, the third, ...), in turn and on the images still robust, it steps to the projection onto the
 * linearised boundary between the label and the target (a convex combination, weighted by at most
 * {@code alphaMax}, of the projections of the current point and of the clean image, each overshot by
 * {@code eta}), and after each step that fools the model moves back towards the clean image by {@code beta}.
 * FAB looks for the smallest perturbation; an image counts as fooled when the smallest one it found changes
 * the prediction (to any class) and lies within {@code eps}. The first restart starts at the clean image,
 * further ones at a random point at distance eps/2 (as the reference).
 */
public record FabTargeted(Norm norm, float eps, int steps, int targetClasses, int restarts, float alphaMax,
        float eta, float beta) implements Randomized {

    public FabTargeted {
        Budget.check(norm, eps);
        if (steps < 1) {
            throw new FoilException("--steps must be at least 1, not " + steps);
        }
        if (targetClasses < 1) {
            throw new FoilException("--target-classes must be at least 1, not " + targetClasses);
        }
        if (restarts < 1) {
            throw new FoilException("--restarts must be at least 1, not " + restarts);
        }
    }

    /** AutoAttack's settings: 100 steps, 9 target classes, one restart, alpha_max 0.1, eta 1.05, beta 0.9. */
    public static FabTargeted of(Norm norm, float eps) {
        return new FabTargeted(norm, eps, 100, 9, 1, 0.1f, 1.05f, 0.9f);
    }

    @Override
    public String method() {
        return "fab-t";
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets,
            ImageRandom random) {
        if (targets != null) {
            throw new FoilException("fab-t chooses its own targets (the classes ranked 2 to "
                    + (targetClasses + 1) + "): drop --target/--targeted-random");
        }
        int ranks = Math.min(targetClasses, classifier.numClasses() - 1);
        NDArray a = ApgdTargeted.overTargets(classifier, x, labels, ranks, restarts, (images, y, t, rows, r) ->
                single(classifier, images.rows(rows), Images.pick(y, rows), t,
                        r > 0 ? random.select(rows) : null));
        return AttackResult.of(classifier, x, a, labels, null);
    }

    /**
     * One FAB-T run on a batch against targets {@code t}, from the clean images ({@code random} null) or from
     * a random start; an image is fooled when the smallest adversarial found changes the prediction and lies
     * within eps.
     */
    Apgd.Trajectory single(Classifier classifier, Images x, int[] y, int[] t, ImageRandom random) {
        int count = x.count();
        int per = x.per();
        float[] x0 = x.pixels();
        float[] x1 = random == null ? x0.clone() : Apgd.randomStart(norm, x0, count, per, eps / 2.0, random); // the reference's: at eps/2
        float[] best = x0.clone();
        double[] res = new double[count];
        java.util.Arrays.fill(res, 1e10);
        double[] point = new double[per];
        double[] clean = new double[per];
        double[] w = new double[per];
        for (int step = 0; step < steps; step++) {
            Difference diff = difference(classifier, x, x1, y, t);
            for (int e = 0; e < count; e++) {
                int off = e * per;
                for (int p = 0; p < per; p++) {
                    point[p] = x1[off + p];
                    clean[p] = x0[off + p];
                    w[p] = diff.gradient[off + p];
                }
                double b = -diff.value[e] + FabProjection.dot(w, point);
                double[] d1 = FabProjection.project(norm, point, w, b);
                double[] d2 = FabProjection.project(norm, clean, w, b);
                double a1 = Math.max(size(d1), 1e-8);
                double a2 = Math.max(size(d2), 1e-8);
                double alpha = Math.min(Math.max(a1 / (a1 + a2), 0), alphaMax);
                for (int p = 0; p < per; p++) {
                    double v = (point[p] + eta * d1[p]) * (1 - alpha) + (clean[p] + eta * d2[p]) * alpha;
                    x1[off + p] = (float) Math.min(1, Math.max(0, v));
                }
            }
            int[] pred = predict(classifier, x, x1);
            for (int e = 0; e < count; e++) {
                if (pred[e] == y[e]) {
                    continue;
                }
                int off = e * per;
                double dist = distance(x1, x0, off, per);
                if (dist < res[e]) {
                    System.arraycopy(x1, off, best, off, per);
                    res[e] = dist;
                }
                for (int p = 0; p < per; p++) {
                    x1[off + p] = x0[off + p] + (x1[off + p] - x0[off + p]) * beta;
                }
            }
        }
        int[] predBest = predict(classifier, x, best); // as the reference, which predicts its result again
        boolean[] fooled = new boolean[count];
        for (int e = 0; e < count; e++) {
            fooled[e] = predBest[e] != y[e] && distance(best, x0, e * per, per) <= eps;
        }
        return new Apgd.Trajectory(best, fooled);
    }

    /** The norm of a step. */
    private double size(double[] d) {
        double s = 0;
        for (double v : d) {
            s = norm == Norm.LINF ? Math.max(s, Math.abs(v)) : s + v * v;
        }
        return norm == Norm.LINF ? s : Math.sqrt(s);
    }

    /** The distance of image e of {@code a} (pixels [off, off + per)) from the same image of {@code x0}. */
    private double distance(float[] a, float[] x0, int off, int per) {
        double s = 0;
        for (int p = 0; p < per; p++) {
            float d = a[off + p] - x0[off + p];
            s = norm == Norm.LINF ? Math.max(s, Math.abs(d)) : s + (double) d * d;
        }
        return norm == Norm.LINF ? s : Math.sqrt(s);
    }

    /** f_t − f_y per image and its gradient with respect to the image. */
    private record Difference(float[] value, float[] gradient) {}

    private static Difference difference(Classifier classifier, Images x, float[] point, int[] y, int[] t) {
        try (NDManager m = NDManager.newBaseManager(foil.Foil.device())) {
            NDArray p = m.create(point, x.shape());
            NDArray ly = m.create(Images.longs(y));
            NDArray lt = m.create(Images.longs(t));
            int k = classifier.numClasses();
            InputGradient g = InputGradient.of(classifier, p, z -> Dlr.pick(z, lt, k).sub(Dlr.pick(z, ly, k)));
            return new Difference(g.loss().toType(DataType.FLOAT32, false).toFloatArray(),
                    g.gradient().toFloatArray());
        }
    }

    private static int[] predict(Classifier classifier, Images x, float[] point) {
        try (NDManager m = NDManager.newBaseManager(foil.Foil.device())) {
            return classifier.predict(m.create(point, x.shape()));
        }
    }
}
