package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.optim.BoxLbfgs;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.model.Classifier;

/**
 * Szegedy et al.'s (2014) box-constrained L-BFGS: for a target label l, the smallest r with x + r in
 * [0, 1] classified as l, approximated by minimising c·‖r‖² + loss(x + r, l) under the box with
 * L-BFGS, and a search on c per example: the largest c whose minimiser still reaches the target gives the
 * smallest perturbation. (The squared norm is smooth at r = 0; for each c it trades size against loss
 * like the paper's |r|.) The distortion is reported as Szegedy does: sqrt(mean of r²).
 */
public record Lbfgs(int iterations, int searchRounds, float initialConst, int memory) implements MinimalAttack {

    public Lbfgs {
        if (iterations < 1 || iterations > 10_000) {
            throw new FoilException("--steps for lbfgs must be between 1 and 10000, not " + iterations);
        }
        if (searchRounds < 1 || searchRounds > 50) {
            throw new FoilException("L-BFGS search rounds must be between 1 and 50, not " + searchRounds);
        }
        if (!(initialConst > 0f) || !Float.isFinite(initialConst)) {
            throw new FoilException("L-BFGS initial constant c must be positive, not " + initialConst);
        }
        if (memory < 1 || memory > 100) {
            throw new FoilException("L-BFGS memory must be between 1 and 100, not " + memory);
        }
    }

    public static Lbfgs defaults() {
        return new Lbfgs(30, 7, 1f, 10);
    }

    @Override
    public String method() {
        return "lbfgs";
    }

    @Override
    public Norm norm() {
        return Norm.L2;
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets) {
        if (targets == null) {
            throw new FoilException("the L-BFGS attack is targeted: give --target K or --targeted-random");
        }
        int b = (int) x.getShape().get(0);
        Shape image = x.getShape().slice(1);
        int n = (int) image.size();
        float[] flat = x.toFloatArray();
        float[][] origin = new float[b][];
        for (int i = 0; i < b; i++) {
            origin[i] = java.util.Arrays.copyOfRange(flat, i * n, (i + 1) * n);
        }
        long[] target = targets.toType(DataType.INT64, false).toLongArray();
        double[] c = new double[b];
        double[] lowOk = new double[b]; // largest c known to succeed
        double[] highFail = new double[b]; // smallest c known to fail
        java.util.Arrays.fill(c, initialConst);
        java.util.Arrays.fill(lowOk, 0);
        java.util.Arrays.fill(highFail, Double.POSITIVE_INFINITY);
        float[][] best = new float[b][];
        double[] bestNorm = new double[b];
        java.util.Arrays.fill(bestNorm, Double.POSITIVE_INFINITY);
        float[][] fallback = new float[b][];
        double[] fallbackC = new double[b];
        java.util.Arrays.fill(fallbackC, Double.POSITIVE_INFINITY);
        BoxLbfgs solver = new BoxLbfgs(0f, 1f, memory, iterations);
        NDManager batch = x.getManager();
        for (int round = 0; round < searchRounds; round++) {
            double[] cRound = c.clone();
            BoxLbfgs.Objective objective = (which, points, values, gradients) ->
                    evaluate(classifier, batch, image, origin, target, cRound, which, points, values, gradients);
            float[][] solution = solver.minimize(origin, objective);
            int[] pred = predict(classifier, batch, image, solution);
            for (int i = 0; i < b; i++) {
                double norm = squaredDistance(solution[i], origin[i]);
                if (pred[i] == target[i]) {
                    lowOk[i] = Math.max(lowOk[i], cRound[i]);
                    if (norm < bestNorm[i]) {
                        bestNorm[i] = norm;
                        best[i] = solution[i];
                    }
                } else {
                    highFail[i] = Math.min(highFail[i], cRound[i]);
                    if (cRound[i] <= fallbackC[i]) {
                        fallbackC[i] = cRound[i];
                        fallback[i] = solution[i];
                    }
                }
                c[i] = nextConst(lowOk[i], highFail[i], cRound[i]);
            }
        }
        float[] out = new float[b * n];
        for (int i = 0; i < b; i++) {
            float[] chosen = best[i] != null ? best[i] : fallback[i];
            System.arraycopy(chosen, 0, out, i * n, n);
        }
        NDArray adversarial = batch.create(out, x.getShape());
        return AttackResult.of(classifier, x, adversarial, labels, targets);
    }

    /** Larger c (smaller r) while the target is reached, smaller c until it is, then bisection. */
    static double nextConst(double lowOk, double highFail, double current) {
        if (Double.isInfinite(highFail)) {
            return current * 10;
        }
        if (lowOk == 0) {
            return current / 10;
        }
        return Math.sqrt(lowOk * highFail);
    }

    private static double squaredDistance(float[] a, float[] b) {
        double s = 0;
        for (int p = 0; p < a.length; p++) {
            double d = a[p] - b[p];
            s += d * d;
        }
        return s;
    }

    private static void evaluate(Classifier classifier, NDManager batch, Shape image, float[][] origin,
            long[] target, double[] c, int[] which, float[][] points, double[] values, float[][] gradients) {
        int k = which.length;
        int n = (int) image.size();
        float[] flat = new float[k * n];
        long[] t = new long[k];
        for (int j = 0; j < k; j++) {
            System.arraycopy(points[j], 0, flat, j * n, n);
            t[j] = target[which[j]];
        }
        try (NDManager scope = batch.newSubManager()) {
            NDArray z = scope.create(flat, new Shape(k).addAll(image));
            CrossEntropyGradient ce = CrossEntropyGradient.at(classifier, z, scope.create(t));
            float[] loss = ce.loss().toFloatArray();
            float[] grad = ce.gradient().toFloatArray();
            for (int j = 0; j < k; j++) {
                int i = which[j];
                float[] g = new float[n];
                double norm = 0;
                for (int p = 0; p < n; p++) {
                    double r = points[j][p] - origin[i][p];
                    norm += r * r;
                    g[p] = (float) (grad[j * n + p] + 2 * c[i] * r);
                }
                values[j] = c[i] * norm + loss[j];
                gradients[j] = g;
            }
        }
    }

    private static int[] predict(Classifier classifier, NDManager batch, Shape image, float[][] points) {
        int n = (int) image.size();
        float[] flat = new float[points.length * n];
        for (int j = 0; j < points.length; j++) {
            System.arraycopy(points[j], 0, flat, j * n, n);
        }
        try (NDManager scope = batch.newSubManager()) {
            NDArray z = scope.create(flat, new Shape(points.length).addAll(image));
            return classifier.predict(z);
        }
    }
}
