package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.FoilException;
import foil.model.Classifier;

/**
 * Auto-PGD (Croce and Hein 2020) in L-inf or L2: PGD with momentum (0.75) whose step size starts at 2·eps
 * and is halved, per image, at checkpoints where the loss has risen in fewer than ρ of the steps since the
 * last one or where the best loss has not improved since a halving; the iterate then restarts from the best
 * point so far. Checkpoints at p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06) of the
 * steps. Loss: cross-entropy or the scale-invariant {@link Dlr} ratio; targeted when targets are given. Only
 * images the model does not already get wrong are attacked; each restart attacks those still robust. The
 * arithmetic follows the reference code (github.com/fra31/auto-attack, apgd.py) step by step.
 */
public record Apgd(Norm norm, float eps, int steps, Loss loss, int restarts, float rho, float momentum)
        implements Randomized {

    /** The loss APGD ascends. */
    public enum Loss {
        CE("ce"),
        DLR("dlr");

        public final String cliName;

        Loss(String cliName) {
            this.cliName = cliName;
        }
    }

    public Apgd {
        Budget.check(norm, eps);
        if (steps < 1 || steps > 100_000) {
            throw new FoilException("--steps must be between 1 and 100000, not " + steps);
        }
        if (restarts < 1 || restarts > 1000) {
            throw new FoilException("--restarts must be between 1 and 1000, not " + restarts);
        }
        if (!(rho > 0f && rho <= 1f) || !(momentum >= 0f && momentum <= 1f)) {
            throw new FoilException("APGD's rho must be in (0, 1] and its momentum in [0, 1]");
        }
    }

    /** The reference settings: 100 steps, one restart, ρ = 0.75, momentum 0.75. */
    public static Apgd of(Norm norm, float eps, Loss loss) {
        return new Apgd(norm, eps, 100, loss, 1, 0.75f, 0.75f);
    }

    @Override
    public String method() {
        return "apgd-" + loss.cliName;
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets,
            ImageRandom random) {
        Images images = Images.of(x);
        int[] y = Images.ints(labels);
        int[] t = targets == null ? null : Images.ints(targets);
        Goal goal = targets == null ? Goal.untargeted(y) : Goal.targeted(t);
        boolean[] done = goal.reached(classifier.predict(x));
        float[] adv = images.pixels().clone();
        for (int r = 0; r < restarts; r++) {
            int[] rows = Images.indicesOf(done, false);
            if (rows.length == 0) {
                break;
            }
            Trajectory run = single(classifier, images.rows(rows), Images.pick(y, rows),
                    t == null ? null : Images.pick(t, rows), goal.rows(rows), random.select(rows));
            run.into(rows, adv, done, images.per());
        }
        NDArray a = x.getManager().create(adv, x.getShape());
        return AttackResult.of(classifier, x, a, labels, targets);
    }

    /** What one run made of its images: the last adversarial found per image, and whether one was. */
    record Trajectory(float[] adversarial, boolean[] fooled) {
        /** Writes the images fooled by this run into the batch's arrays at {@code rows}. */
        void into(int[] rows, float[] adv, boolean[] done, int per) {
            for (int i = 0; i < rows.length; i++) {
                if (fooled[i]) {
                    done[rows[i]] = true;
                    System.arraycopy(adversarial, i * per, adv, rows[i] * per, per);
                }
            }
        }
    }

    /** The loss of this attack for labels {@code y} and, when targeted, targets {@code t}. */
    java.util.function.UnaryOperator<NDArray> lossFor(NDArray y, NDArray t) {
        if (loss == Loss.CE) {
            return t == null ? z -> CrossEntropyGradient.perExample(z, y)
                    : z -> CrossEntropyGradient.perExample(z, t).neg();
        }
        return t == null ? z -> Dlr.untargeted(z, y) : z -> Dlr.targeted(z, y, t);
    }

    /** One APGD run on a batch, from a random start; {@code t} null when the loss is untargeted. */
    Trajectory single(Classifier classifier, Images x, int[] y, int[] t, Goal goal, ImageRandom random) {
        int b = x.count();
        int per = x.per();
        int n = steps;
        int n2 = Math.max((int) (0.22 * n), 1);
        int nMin = Math.max((int) (0.06 * n), 1);
        int sizeDecr = Math.max((int) (0.03 * n), 1);

        float[] xAdv = start(x, random);
        Step at = evaluate(classifier, x, xAdv, y, t);
        boolean[] fooled = goal.reached(at.predictions());
        float[] xBestAdv = xAdv.clone();
        float[] lossBest = at.loss().clone();
        float[] xBest = xAdv.clone();
        float[] grad = at.gradient();
        float[] gradBest = grad.clone();
        float[] stepSize = new float[b];
        java.util.Arrays.fill(stepSize, 2f * eps);
        float[] xAdvOld = xAdv.clone();
        float[][] lossSteps = new float[n][];
        float[] lossBestLastCheck = lossBest.clone();
        boolean[] reducedLastCheck = new boolean[b];
        java.util.Arrays.fill(reducedLastCheck, true);
        int k = n2;
        int counter3 = 0;
        for (int i = 0; i < n; i++) {
            float a = i > 0 ? momentum : 1f;
            float[] next = new float[b * per];
            for (int e = 0; e < b; e++) {
                step(x.pixels(), xAdv, xAdvOld, grad, stepSize[e], a, e * per, per, next);
            }
            xAdvOld = xAdv;
            xAdv = next;
            at = evaluate(classifier, x, xAdv, y, t);
            grad = at.gradient();
            boolean[] now = goal.reached(at.predictions());
            float[] y1 = at.loss();
            lossSteps[i] = y1;
            for (int e = 0; e < b; e++) {
                if (now[e]) {
                    fooled[e] = true;
                    System.arraycopy(xAdv, e * per, xBestAdv, e * per, per);
                }
                if (y1[e] > lossBest[e]) {
                    System.arraycopy(xAdv, e * per, xBest, e * per, per);
                    System.arraycopy(grad, e * per, gradBest, e * per, per);
                    lossBest[e] = y1[e];
                }
            }
            counter3++;
            if (counter3 == k) {
                for (int e = 0; e < b; e++) {
                    boolean oscillates = increases(lossSteps, i, k, e) <= k * rho;
                    boolean noImprovement = !reducedLastCheck[e] && lossBestLastCheck[e] >= lossBest[e];
                    boolean reduce = oscillates || noImprovement;
                    reducedLastCheck[e] = reduce;
                    lossBestLastCheck[e] = lossBest[e];
                    if (reduce) {
                        stepSize[e] /= 2f;
                        System.arraycopy(xBest, e * per, xAdv, e * per, per);
                        System.arraycopy(gradBest, e * per, grad, e * per, per);
                    }
                }
                k = Math.max(k - sizeDecr, nMin);
                counter3 = 0;
            }
        }
        return new Trajectory(xBestAdv, fooled);
    }

    /**
     * How often the loss of image {@code e} rose over the {@code k} steps up to step {@code j}; as in the
     * reference, the step before the first compares with the unfilled last row, that is with 0.
     */
    private static int increases(float[][] lossSteps, int j, int k, int e) {
        int count = 0;
        for (int c = 0; c < k; c++) {
            float now = lossSteps[j - c][e];
            float before = j - c - 1 >= 0 ? lossSteps[j - c - 1][e] : 0f;
            count += now > before ? 1 : 0;
        }
        return count;
    }

    /** The random start: a uniform point of the L-inf cube scaled to the ball's surface, or of the L2 sphere. */
    private float[] start(Images x, ImageRandom random) {
        return randomStart(norm, x.pixels(), x.count(), x.per(), eps, random);
    }

    /**
     * A random point at distance {@code radius} from each of {@code count} images of {@code per} pixels in
     * {@code x0}, in [0, 1]: a uniform point of the L-inf cube scaled to its surface, or a Gaussian direction
     * (uniform on the L2 sphere), each image from its own stream of {@code random}.
     */
    static float[] randomStart(Norm norm, float[] x0, int count, int per, double radius, ImageRandom random) {
        float[] out = new float[x0.length];
        for (int e = 0; e < count; e++) {
            java.util.SplittableRandom s = random.stream(e);
            double[] d = new double[per];
            double scale = 0;
            for (int p = 0; p < per; p++) {
                if (norm == Norm.LINF) {
                    d[p] = 2 * s.nextDouble() - 1;
                    scale = Math.max(scale, Math.abs(d[p]));
                } else {
                    d[p] = gaussian(s);
                    scale += d[p] * d[p];
                }
            }
            scale = norm == Norm.LINF ? scale : Math.sqrt(scale);
            for (int p = 0; p < per; p++) {
                float v = (float) (x0[e * per + p] + radius * d[p] / Math.max(scale, 1e-12));
                out[e * per + p] = Math.min(1f, Math.max(0f, v));
            }
        }
        return out;
    }

    static double gaussian(java.util.SplittableRandom s) {
        double u = 1.0 - s.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * s.nextDouble());
    }

    /** One momentum step of image e (pixels [off, off + per)) into {@code next}, as the reference. */
    private void step(float[] x, float[] xAdv, float[] xAdvOld, float[] grad, float size, float a, int off,
            int per, float[] next) {
        if (norm == Norm.LINF) {
            for (int p = off; p < off + per; p++) {
                float lo = x[p] - eps;
                float hi = x[p] + eps;
                float z = clip(clip(xAdv[p] + size * Math.signum(grad[p]), lo, hi), 0f, 1f);
                float grad2 = xAdv[p] - xAdvOld[p];
                next[p] = clip(clip(xAdv[p] + (z - xAdv[p]) * a + grad2 * (1 - a), lo, hi), 0f, 1f);
            }
            return;
        }
        double gn = 0;
        for (int p = off; p < off + per; p++) {
            gn += (double) grad[p] * grad[p];
        }
        float gscale = (float) (size / (Math.sqrt(gn) + 1e-12));
        for (int p = off; p < off + per; p++) {
            next[p] = xAdv[p] + gscale * grad[p];
        }
        projectL2(x, next, off, per);
        for (int p = off; p < off + per; p++) {
            float grad2 = xAdv[p] - xAdvOld[p];
            next[p] = xAdv[p] + (next[p] - xAdv[p]) * a + grad2 * (1 - a);
        }
        projectL2(x, next, off, per);
    }

    /** x + (z − x)/(‖z − x‖ + 1e-12)·min(eps, ‖z − x‖), clipped to [0, 1], in place. */
    private void projectL2(float[] x, float[] z, int off, int per) {
        double n = 0;
        for (int p = off; p < off + per; p++) {
            double d = z[p] - x[p];
            n += d * d;
        }
        n = Math.sqrt(n);
        float scale = (float) (Math.min(eps, n) / (n + 1e-12));
        for (int p = off; p < off + per; p++) {
            z[p] = clip(x[p] + (z[p] - x[p]) * scale, 0f, 1f);
        }
    }

    private static float clip(float v, float lo, float hi) {
        return Math.min(hi, Math.max(lo, v));
    }

    /** Loss, gradient and predictions at a point. */
    record Step(float[] loss, float[] gradient, int[] predictions) {}

    private Step evaluate(Classifier classifier, Images x, float[] point, int[] y, int[] t) {
        try (NDManager m = NDManager.newBaseManager(foil.Foil.device())) {
            NDArray p = m.create(point, x.shape());
            NDArray ly = m.create(Images.longs(y));
            NDArray lt = t == null ? null : m.create(Images.longs(t));
            InputGradient g = InputGradient.of(classifier, p, lossFor(ly, lt));
            int[] pred = g.logits().argMax(1).toType(ai.djl.ndarray.types.DataType.INT32, false).toIntArray();
            return new Step(g.loss().toFloatArray(), g.gradient().toFloatArray(), pred);
        }
    }
}
