package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import foil.FoilException;
import foil.model.Classifier;
import foil.nn.GradientScope;
import java.util.Arrays;

/**
 * Carlini and Wagner's (2017) L2 attack. The image is written x' = (tanh(w) + 1)/2, so that any w gives a
 * point of the box [0, 1], and Adam minimises ‖x' − x‖² + c·f(x') over w, with the margin loss
 * f = max(max_{i≠t} Z_i − Z_t, −κ) towards a target t, or f = max(Z_y − max_{i≠y} Z_i, −κ) away from the
 * label y (Z the logits, κ the confidence). A binary search on c per image follows each round of
 * {@code steps} Adam steps: c shrinks after a success, grows tenfold after a failure until some c works,
 * then bisects. Each image keeps the smallest-L2 point, over all steps and rounds, whose logits reach the
 * goal with margin κ; an image where none did is returned unchanged (the attack failed there).
 * As in the paper, a round stops early for an image whose loss fell by less than 0.01% over the last tenth
 * of the steps; per image (the batch stops when all have), so that an image's result does not depend on
 * its batch.
 */
public record CarliniWagner(float confidence, int steps, int searchRounds, float initialConst, float learningRate)
        implements MinimalAttack {

    private static final double SUCCESS_NEVER = 1e10;

    public CarliniWagner {
        if (!Float.isFinite(confidence) || confidence < 0f) {
            throw new FoilException("--confidence must be a non-negative number, not " + confidence);
        }
        if (steps < 1 || steps > 100_000) {
            throw new FoilException("--steps for cw must be between 1 and 100000, not " + steps);
        }
        if (searchRounds < 1 || searchRounds > 50) {
            throw new FoilException("--search-rounds for cw must be between 1 and 50, not " + searchRounds);
        }
        if (!(initialConst > 0f) || !Float.isFinite(initialConst)) {
            throw new FoilException("C&W's initial constant c must be positive, not " + initialConst);
        }
        if (!(learningRate > 0f) || !Float.isFinite(learningRate)) {
            throw new FoilException("C&W's learning rate (--step-size) must be positive, not " + learningRate);
        }
    }

    /** The settings {@code foil attack --method cw} uses by default. */
    public static CarliniWagner defaults() {
        return new CarliniWagner(0f, DEFAULT_STEPS, DEFAULT_SEARCH_ROUNDS, 1f, DEFAULT_LEARNING_RATE);
    }

    public static final int DEFAULT_STEPS = 100;
    public static final int DEFAULT_SEARCH_ROUNDS = 8;
    /**
     * Ten times the paper's 0.01, which is tuned for 10,000 steps: a pixel at 0 starts at w = arctanh(−1 + 10⁻⁶)
     * ≈ −7.25, where Adam moves it by about the learning rate per step, so at 0.01 the background of a
     * Fashion-MNIST image cannot move within a few hundred steps (see docs/notes/minimal-perturbations.md).
     */
    public static final float DEFAULT_LEARNING_RATE = 0.1f;

    @Override
    public String method() {
        return "cw";
    }

    @Override
    public Norm norm() {
        return Norm.L2;
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets) {
        NDManager batch = x.getManager();
        int b = (int) x.getShape().get(0);
        boolean targeted = targets != null;
        NDArray w0;
        // w0 = arctanh(u) = ln((1 + u)/(1 − u))/2 with u = 2x − 1 pulled in slightly: pixels at 0 or 1 get a finite w
        try (NDArray u = x.mul(2f - 2e-6f).subi(1f - 1e-6f); NDArray up = u.add(1f); NDArray down = u.neg().addi(1f);
                NDArray q = up.divi(down)) {
            w0 = q.log().muli(0.5f);
        }
        NDArray given = targeted ? targets : labels;
        NDArray goal = given.toType(DataType.INT64, false);
        NDArray oneHot = goal.oneHot(classifier.numClasses());
        if (goal != given) {
            goal.close();
        }
        NDArray isGoal = oneHot.eq(1f);
        double[] c = new double[b];
        double[] lower = new double[b];
        double[] upper = new double[b];
        Arrays.fill(c, initialConst);
        Arrays.fill(upper, SUCCESS_NEVER);
        float[] bestL2 = new float[b];
        Arrays.fill(bestL2, Float.POSITIVE_INFINITY);
        NDArray best = x.duplicate();
        for (int round = 0; round < searchRounds; round++) {
            boolean[] reached = new boolean[b];
            NDArray cs = batch.create(toFloats(c));
            Adam adam = new Adam(w0.duplicate(), batch);
            Stall stall = new Stall(b, Math.max(1, steps / 10));
            for (int step = 0; step < steps && stall.anyActive(); step++) {
                Adam next;
                NDArray nextBest = best;
                try (NDManager scope = batch.newSubManager()) {
                    adam.tempAttach(scope);
                    for (NDArray a : new NDArray[] {best, cs, oneHot, isGoal}) {
                        a.tempAttach(scope);
                    }
                    NDArray leaf = adam.w.duplicate();
                    leaf.setRequiresGradient(true);
                    NDArray point;
                    NDArray margin;
                    NDArray l2;
                    NDArray loss;
                    try (GradientScope collector = GradientScope.open()) {
                        point = leaf.tanh().add(1f).mul(0.5f);
                        NDArray z = classifier.differentiableLogits(point);
                        NDArray goalLogit = z.mul(oneHot).sum(new int[] {1});
                        NDArray others = NDArrays.where(isGoal, z.zerosLike().sub(Float.MAX_VALUE), z)
                                .max(new int[] {1});
                        // how far past the goal the logits are: the goal is reached above κ
                        margin = targeted ? goalLogit.sub(others) : others.sub(goalLogit);
                        l2 = point.sub(x).square().reshape(b, -1).sum(new int[] {1});
                        loss = margin.neg().maximum(-confidence).mul(cs).add(l2);
                        collector.backward(loss.sum());
                    }
                    float[] m = margin.stopGradient().toFloatArray();
                    float[] d = l2.stopGradient().toFloatArray();
                    float[] improved = new float[b];
                    boolean any = false;
                    for (int i = 0; i < b; i++) {
                        if (m[i] > confidence) {
                            reached[i] = true;
                            if (d[i] < bestL2[i]) {
                                bestL2[i] = d[i];
                                improved[i] = 1f;
                                any = true;
                            }
                        }
                    }
                    if (any) {
                        NDArray mask = scope.create(improved).reshape(Pgd.broadcastShape(x));
                        nextBest = point.stopGradient().mul(mask).add(best.mul(mask.neg().add(1f)));
                        nextBest.attach(batch);
                    }
                    stall.record(step, loss.stopGradient().toFloatArray());
                    next = adam.step(leaf.getGradient(), learningRate, stall.active(), x);
                    next.attach(batch);
                }
                adam.close();
                adam = next;
                if (nextBest != best) {
                    best.close();
                    best = nextBest;
                }
            }
            adam.close();
            cs.close();
            for (int i = 0; i < b; i++) {
                if (reached[i]) {
                    upper[i] = Math.min(upper[i], c[i]);
                    c[i] = (lower[i] + upper[i]) / 2;
                } else {
                    lower[i] = Math.max(lower[i], c[i]);
                    c[i] = upper[i] < SUCCESS_NEVER ? (lower[i] + upper[i]) / 2 : c[i] * 10;
                }
            }
        }
        w0.close();
        oneHot.close();
        isGoal.close();
        return AttackResult.of(classifier, x, best, labels, targets);
    }

    private static float[] toFloats(double[] v) {
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return f;
    }

    /**
     * The paper's early stop, per image: every {@code every} steps, an image whose lowest loss so far fell
     * by less than 0.01% since the last check stops moving for the rest of the round. (The lowest, not the
     * last: near the optimum the point crosses the boundary back and forth and its loss with it.)
     */
    private static final class Stall {
        private final boolean[] active;
        private final double[] lowest;
        private final double[] lowestAtCheck;
        private final int every;

        Stall(int images, int every) {
            this.active = new boolean[images];
            this.lowest = new double[images];
            this.lowestAtCheck = new double[images];
            this.every = every;
            Arrays.fill(active, true);
            Arrays.fill(lowest, Double.POSITIVE_INFINITY);
            Arrays.fill(lowestAtCheck, Double.POSITIVE_INFINITY);
        }

        void record(int step, float[] loss) {
            for (int i = 0; i < active.length; i++) {
                lowest[i] = Math.min(lowest[i], loss[i]);
            }
            if ((step + 1) % every != 0) {
                return;
            }
            for (int i = 0; i < active.length; i++) {
                double before = lowestAtCheck[i];
                active[i] = active[i] && (Double.isInfinite(before) || lowest[i] < before - 1e-4 * Math.abs(before));
                lowestAtCheck[i] = lowest[i];
            }
        }

        boolean[] active() {
            return active;
        }

        boolean anyActive() {
            for (boolean a : active) {
                if (a) {
                    return true;
                }
            }
            return false;
        }
    }

    /** Adam's state over the batch's w (element-wise, so each image's update is its own). */
    private static final class Adam implements AutoCloseable {
        static final float BETA1 = 0.9f;
        static final float BETA2 = 0.999f;
        final NDArray w;
        final NDArray m;
        final NDArray v;
        final int t;

        Adam(NDArray w, NDManager manager) {
            this(w, manager.zeros(w.getShape()), manager.zeros(w.getShape()), 0);
        }

        private Adam(NDArray w, NDArray m, NDArray v, int t) {
            this.w = w;
            this.m = m;
            this.v = v;
            this.t = t;
        }

        /** One step along {@code g}, for the images still {@code active} only. */
        Adam step(NDArray g, float lr, boolean[] active, NDArray x) {
            int n = t + 1;
            NDArray m2 = m.mul(BETA1).add(g.mul(1f - BETA1));
            NDArray v2 = v.mul(BETA2).add(g.square().mul(1f - BETA2));
            double scale = lr * Math.sqrt(1 - Math.pow(BETA2, n)) / (1 - Math.pow(BETA1, n));
            NDArray update = m2.div(v2.sqrt().add(1e-8f)).mul((float) scale);
            float[] on = new float[active.length];
            for (int i = 0; i < on.length; i++) {
                on[i] = active[i] ? 1f : 0f;
            }
            NDArray mask = w.getManager().create(on).reshape(Pgd.broadcastShape(x));
            return new Adam(w.sub(update.mul(mask)), m2, v2, n);
        }

        void tempAttach(NDManager scope) {
            w.tempAttach(scope);
            m.tempAttach(scope);
            v.tempAttach(scope);
        }

        void attach(NDManager manager) {
            w.attach(manager);
            m.attach(manager);
            v.attach(manager);
        }

        @Override
        public void close() {
            w.close();
            m.close();
            v.close();
        }
    }
}
