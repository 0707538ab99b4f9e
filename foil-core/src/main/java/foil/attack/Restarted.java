package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.model.Classifier;

/**
 * A randomised attack run {@code times} times, each run on the images the earlier ones failed on (their
 * random streams continue, so each run starts elsewhere); an image keeps the first adversarial that reaches
 * the goal.
 */
public record Restarted(Randomized attack, int times) implements Randomized {

    public Restarted {
        if (times < 1) {
            throw new foil.FoilException("restarts must be at least 1, not " + times);
        }
    }

    @Override
    public String method() {
        return attack.method();
    }

    @Override
    public Norm norm() {
        return attack.norm();
    }

    @Override
    public float eps() {
        return attack.eps();
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets, ImageRandom random) {
        AttackResult best = attack.run(classifier, x, labels, targets, random);
        for (int r = 1; r < times; r++) {
            int[] rows = Images.indicesOf(best.success(), false);
            if (rows.length == 0) {
                break;
            }
            Images images = Images.of(x);
            NDArray sub = x.getManager().create(images.rows(rows).pixels(), new ai.djl.ndarray.types.Shape(
                    rows.length).addAll(x.getShape().slice(1)));
            NDArray subLabels = x.getManager().create(Images.longs(Images.pick(Images.ints(labels), rows)));
            NDArray subTargets = targets == null ? null : x.getManager().create(Images.longs(Images.pick(
                    Images.ints(targets), rows)));
            AttackResult next = attack.run(classifier, sub, subLabels, subTargets, random.select(rows));
            float[] adv = best.adversarial().toFloatArray();
            float[] found = next.adversarial().toFloatArray();
            int per = images.per();
            for (int j = 0; j < rows.length; j++) {
                if (next.success()[j]) {
                    System.arraycopy(found, j * per, adv, rows[j] * per, per);
                }
            }
            best = AttackResult.of(classifier, x, x.getManager().create(adv, x.getShape()), labels, targets);
        }
        return best;
    }
}
