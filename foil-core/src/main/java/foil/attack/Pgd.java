package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.model.Classifier;

/**
 * Projected gradient descent (Madry et al. 2018) in L-inf or L2: from a random start in the ball, steps
 * along the sign (L-inf) or the normalised gradient (L2), each followed by projection on the eps ball and
 * on [0, 1]. With restarts, each example keeps the first restart that succeeds. The random start is uniform
 * in the ball, in both norms (for L2: a uniform direction and a radius eps·u^(1/d), d the image's size).
 */
public record Pgd(Norm norm, float eps, float stepSize, int steps, boolean randomStart, int restarts)
        implements Randomized {

    public Pgd {
        Budget.check(norm, eps);
        if (!Float.isFinite(stepSize) || stepSize < 0f) {
            throw new FoilException("--step-size must be a non-negative number, not " + stepSize);
        }
        if (steps < 1 || steps > 100_000) {
            throw new FoilException("--steps must be between 1 and 100000, not " + steps);
        }
        if (restarts < 1 || restarts > 1000) {
            throw new FoilException("--restarts must be between 1 and 1000, not " + restarts);
        }
    }

    /** Madry's settings: step 2.5·eps/steps, random start, one restart. */
    public static Pgd of(Norm norm, float eps, int steps) {
        return new Pgd(norm, eps, defaultStep(eps, steps), steps, true, 1);
    }

    public static float defaultStep(float eps, int steps) {
        return 2.5f * eps / steps;
    }

    @Override
    public String method() {
        return "pgd";
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets,
            ImageRandom random) {
        AttackResult best = null;
        for (int r = 0; r < restarts; r++) {
            AttackResult next = once(classifier, x, labels, targets, random);
            best = best == null ? next : keepSuccessful(best, next, x);
        }
        return best;
    }

    private AttackResult once(Classifier classifier, NDArray x, NDArray labels, NDArray targets,
            ImageRandom random) {
        NDManager batch = x.getManager();
        NDArray adv = randomStart && eps > 0 ? project(x.add(randomDelta(x, random)), x) : x.duplicate();
        for (int i = 0; i < steps; i++) {
            NDArray previous = adv;
            try (NDManager step = batch.newSubManager()) {
                adv.tempAttach(step);
                NDArray g = CrossEntropyGradient.ascent(classifier, adv, labels, targets);
                NDArray next = project(adv.add(direction(g).muli(stepSize)), x);
                next.attach(batch);
                adv = next;
            }
            previous.close();
        }
        return AttackResult.of(classifier, x, adv, labels, targets);
    }

    private NDArray direction(NDArray g) {
        if (norm == Norm.LINF) {
            return g.sign();
        }
        NDArray norms = perExampleL2(g).maximum(1e-12f);
        return g.div(norms);
    }

    private NDArray randomDelta(NDArray x, ImageRandom random) {
        return randomInBall(norm, eps, x, random);
    }

    /** A point drawn uniformly in the {@code norm} ball of radius {@code eps}, per image, B×C×H×W. */
    public static NDArray randomInBall(Norm norm, float eps, NDArray x, ImageRandom random) {
        NDManager m = x.getManager();
        Shape per = x.getShape().slice(1);
        if (norm == Norm.LINF) {
            return random.uniform(m, per, -eps, eps);
        }
        NDArray gauss = random.normal(m, per);
        NDArray unit = gauss.div(perExampleL2(gauss).maximum(1e-12f));
        float[] u = random.uniform();
        double d = per.size();
        float[] radius = new float[u.length];
        for (int i = 0; i < u.length; i++) {
            radius[i] = (float) (eps * Math.pow(u[i], 1.0 / d));
        }
        return unit.mul(m.create(radius, broadcastShape(x)));
    }

    /** Projects {@code adv} on the eps ball around {@code x}, then on [0, 1] (which stays in the ball). */
    NDArray project(NDArray adv, NDArray x) {
        NDArray delta = adv.sub(x);
        if (norm == Norm.LINF) {
            delta = delta.clip(-eps, eps);
        } else {
            NDArray scale = perExampleL2(delta).maximum(1e-12f).pow(-1f).mul(eps).minimum(1f);
            delta = delta.mul(scale);
        }
        return delta.add(x).clip(0f, 1f);
    }

    /** ‖v_i‖₂ per example, shaped B×1×1×1 to broadcast against the batch. */
    static NDArray perExampleL2(NDArray v) {
        long b = v.getShape().get(0);
        return v.reshape(b, -1).square().sum(new int[] {1}).sqrt().reshape(broadcastShape(v));
    }

    static Shape broadcastShape(NDArray v) {
        long[] s = new long[v.getShape().dimension()];
        java.util.Arrays.fill(s, 1);
        s[0] = v.getShape().get(0);
        return new Shape(s);
    }

    /** Per example, the earlier result where it succeeded, else the new one. */
    static AttackResult keepSuccessful(AttackResult best, AttackResult next, NDArray x) {
        boolean[] keepOld = best.success();
        boolean[] success = new boolean[keepOld.length];
        int[] pred = new int[keepOld.length];
        float[] mask = new float[keepOld.length];
        for (int i = 0; i < keepOld.length; i++) {
            mask[i] = keepOld[i] ? 1f : 0f;
            success[i] = keepOld[i] || next.success()[i];
            pred[i] = keepOld[i] ? best.predictions()[i] : next.predictions()[i];
        }
        NDArray m = x.getManager().create(mask, broadcastShape(x));
        NDArray adv = best.adversarial().mul(m).add(next.adversarial().mul(m.neg().add(1f)));
        return new AttackResult(adv, pred, success, foil.metrics.Distortion.of(x, adv));
    }
}
