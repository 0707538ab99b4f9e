package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.model.Classifier;
import foil.nn.GradientScope;

/**
 * DeepFool (Moosavi-Dezfooli et al. 2016), untargeted, in L2 or L-inf. At each iteration the classifier is
 * linearised around the current point: for each candidate class k (the {@code candidates} − 1 classes other
 * than the label y with the largest clean logits), f_k = Z_k − Z_y and w_k = ∇f_k; the nearest linearised
 * boundary is l = argmin_k |f_k| / ‖w_k‖_q (q = 2 for L2, q = 1 for L-inf), and the step is the projection
 * onto it, r = (|f_l| / ‖w_l‖_q + 10⁻⁴) · w_l / ‖w_l‖₂ in L2 or · sign(w_l) in L-inf. The steps add up to
 * r_tot and the point is x + (1 + overshoot)·r_tot, clipped to [0, 1] at each iteration. An image stops
 * moving once its prediction differs from its label (images the model already gets wrong never move); the
 * batch stops when all have, or after {@code maxIterations}. All images of the batch that still move are
 * linearised together, in one backward pass over all their candidates.
 */
public record DeepFool(Norm norm, float overshoot, int maxIterations, int candidates) implements MinimalAttack {

    public static final float DEFAULT_OVERSHOOT = 0.02f;
    public static final int DEFAULT_ITERATIONS = 50;
    public static final int DEFAULT_CANDIDATES = 10;

    public DeepFool {
        if (norm == null) {
            throw new FoilException("DeepFool needs a norm: l2 or linf");
        }
        if (!Float.isFinite(overshoot) || overshoot < 0f || overshoot > 1f) {
            throw new FoilException("--overshoot must be a number in [0, 1] (0.02 is DeepFool's), not " + overshoot);
        }
        if (maxIterations < 1 || maxIterations > 10_000) {
            throw new FoilException("--steps for deepfool (its maximum iterations) must be between 1 and 10000, not "
                    + maxIterations);
        }
        if (candidates < 2) {
            throw new FoilException("DeepFool needs at least 2 candidate classes (the label and one other), not "
                    + candidates);
        }
    }

    public static DeepFool of(Norm norm) {
        return new DeepFool(norm, DEFAULT_OVERSHOOT, DEFAULT_ITERATIONS, DEFAULT_CANDIDATES);
    }

    @Override
    public String method() {
        return "deepfool";
    }

    @Override
    public String untargetedOnly() {
        return "DeepFool is untargeted: drop --target and --targeted-random, or use cw, pgd or lbfgs";
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets) {
        if (targets != null) {
            throw new FoilException(untargetedOnly());
        }
        NDManager batch = x.getManager();
        int b = (int) x.getShape().get(0);
        int n = (int) (x.getShape().size() / Math.max(1, b));
        int classes = classifier.numClasses();
        int[] y = labels.toType(DataType.INT32, false).toIntArray();
        float[] z;
        try (NDArray logits = classifier.logits(x)) {
            z = logits.toFloatArray();
        }
        int[][] others = nearestClasses(z, y, classes, Math.min(candidates, classes) - 1);
        boolean[] moving = new boolean[b];
        for (int i = 0; i < b; i++) {
            int top = 0;
            for (int c = 1; c < classes; c++) {
                top = z[i * classes + c] > z[i * classes + top] ? c : top;
            }
            moving[i] = top == y[i];
        }
        NDArray total = batch.zeros(new Shape(b, n));
        NDArray adv = x.duplicate();
        for (int it = 0; it < maxIterations; it++) {
            int[] rows = indicesOf(moving);
            if (rows.length == 0) {
                break;
            }
            NDArray nextTotal;
            NDArray nextAdv;
            try (NDManager scope = batch.newSubManager()) {
                total.tempAttach(scope);
                adv.tempAttach(scope);
                NDArray pick = selection(scope, rows, b);
                NDArray step = step(classifier, scope, pick.matMul(adv.reshape(b, n)), x.getShape(), rows, y, others);
                nextTotal = total.add(pick.transpose().matMul(step));
                nextAdv = nextTotal.mul(1f + overshoot).reshape(x.getShape()).add(x).clip(0f, 1f);
                int[] pred = classifier.predict(nextAdv);
                for (int i = 0; i < b; i++) {
                    moving[i] = moving[i] && pred[i] == y[i];
                }
                nextTotal.attach(batch);
                nextAdv.attach(batch);
            }
            total.close();
            adv.close();
            total = nextTotal;
            adv = nextAdv;
        }
        total.close();
        return AttackResult.of(classifier, x, adv, labels, null);
    }

    /**
     * One DeepFool step for the images {@code rows} (their current points {@code points}, A×n): the
     * projection onto each one's nearest linearised boundary, A×n.
     */
    private NDArray step(Classifier classifier, NDManager scope, NDArray points, Shape imageShape, int[] rows,
            int[] y, int[][] others) {
        int a = rows.length;
        int k = others[0].length;
        int classes = classifier.numClasses();
        long n = points.getShape().get(1);
        // each image repeated once per candidate, and for copy j the logit difference Z_{others[j]} − Z_y
        float[] difference = new float[a * k * classes];
        for (int r = 0; r < a; r++) {
            for (int j = 0; j < k; j++) {
                int row = (r * k + j) * classes;
                difference[row + others[rows[r]][j]] = 1f;
                difference[row + y[rows[r]]] = -1f;
            }
        }
        NDArray d = scope.create(difference, new Shape((long) a * k, classes));
        NDArray leaf = points.reshape(a, 1, n).repeat(1, k).reshape(new Shape((long) a * k).addAll(imageShape.slice(1))).duplicate();
        leaf.setRequiresGradient(true);
        NDArray f;
        try (GradientScope collector = GradientScope.open()) {
            NDArray z = classifier.differentiableLogits(leaf);
            f = z.mul(d).sum(new int[] {1});
            collector.backward(f.sum());
        }
        NDArray w = leaf.getGradient().reshape(a, k, n);
        NDArray fk = f.stopGradient().reshape(a, k).abs();
        NDArray size = (norm == Norm.L2 ? w.square().sum(new int[] {2}).sqrt() : w.abs().sum(new int[] {2}))
                .maximum(1e-30f);
        NDArray distance = fk.div(size); // huge where the gradient vanishes: not the nearest
        NDArray nearest = distance.argMin(1).oneHot(k).toType(DataType.FLOAT32, false);
        NDArray wl = w.mul(nearest.reshape(a, k, 1)).sum(new int[] {1});
        NDArray pert = distance.mul(nearest).sum(new int[] {1}).add(1e-4f).reshape(a, 1);
        if (norm == Norm.L2) {
            NDArray l2 = wl.square().sum(new int[] {1}).sqrt().maximum(1e-30f).reshape(a, 1);
            return wl.div(l2).mul(pert);
        }
        return wl.sign().mul(pert);
    }

    /**
     * Per image, the {@code k} classes other than its label with the largest clean logits {@code z}, largest
     * first.
     */
    private static int[][] nearestClasses(float[] z, int[] y, int classes, int k) {
        int b = y.length;
        int[][] out = new int[b][k];
        for (int i = 0; i < b; i++) {
            final int row = i;
            int label = y[i];
            out[i] = java.util.stream.IntStream.range(0, classes).filter(c -> c != label).boxed()
                    .sorted((p, q) -> Float.compare(z[row * classes + q], z[row * classes + p]))
                    .limit(k).mapToInt(Integer::intValue).toArray();
        }
        return out;
    }

    /** The one-hot matrix A×b that picks rows {@code rows} of a batch of b (its transpose puts them back). */
    private static NDArray selection(NDManager manager, int[] rows, int b) {
        float[] s = new float[rows.length * b];
        for (int r = 0; r < rows.length; r++) {
            s[r * b + rows[r]] = 1f;
        }
        return manager.create(s, new Shape(rows.length, b));
    }

    private static int[] indicesOf(boolean[] flags) {
        return java.util.stream.IntStream.range(0, flags.length).filter(i -> flags[i]).toArray();
    }
}
