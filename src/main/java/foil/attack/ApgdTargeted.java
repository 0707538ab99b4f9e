package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.FoilException;
import foil.model.Classifier;

/**
 * APGD-T (Croce and Hein 2020): APGD with the targeted DLR loss, run in turn against each of the
 * {@code targetClasses} classes the model ranks highest after its prediction on the clean image (the
 * second, the third, ...), each run on the images still robust. Its goal is untargeted: an image counts as
 * fooled when its prediction leaves the label, whatever class it lands on.
 */
public record ApgdTargeted(Norm norm, float eps, int steps, int targetClasses, int restarts) implements Randomized {

    public ApgdTargeted {
        if (targetClasses < 1) {
            throw new FoilException("--target-classes must be at least 1, not " + targetClasses);
        }
        new Apgd(norm, eps, steps, Apgd.Loss.DLR, restarts, 0.75f, 0.75f); // checks the budget and counts
    }

    /** The reference settings: 100 steps, 9 target classes, one restart. */
    public static ApgdTargeted of(Norm norm, float eps) {
        return new ApgdTargeted(norm, eps, 100, 9, 1);
    }

    @Override
    public String method() {
        return "apgd-t";
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets,
            ImageRandom random) {
        if (targets != null) {
            throw new FoilException("apgd-t chooses its own targets (the classes ranked 2 to "
                    + (targetClasses + 1) + "): drop --target/--targeted-random, or use apgd-ce or apgd-dlr");
        }
        int classes = classifier.numClasses();
        int ranks = Math.min(targetClasses, classes - 1);
        Apgd apgd = new Apgd(norm, eps, steps, Apgd.Loss.DLR, 1, 0.75f, 0.75f);
        Images images = Images.of(x);
        int[] y = Images.ints(labels);
        Goal goal = Goal.untargeted(y);
        int[][] order;
        try (NDArray logits = classifier.logits(x); NDArray sorted = logits.argSort(1, false)) {
            int[] flat = Images.ints(sorted);
            order = new int[y.length][];
            for (int i = 0; i < y.length; i++) {
                order[i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
            }
        }
        boolean[] done = goal.reached(classifier.predict(x));
        float[] adv = images.pixels().clone();
        for (int rank = 1; rank <= ranks; rank++) {
            for (int r = 0; r < restarts; r++) {
                int[] rows = Images.indicesOf(done, false);
                if (rows.length == 0) {
                    break;
                }
                int[] t = new int[rows.length];
                for (int i = 0; i < rows.length; i++) {
                    t[i] = order[rows[i]][rank];
                }
                apgd.single(classifier, images.rows(rows), Images.pick(y, rows), t, goal.rows(rows),
                        random.select(rows)).into(rows, adv, done, images.per());
            }
        }
        NDArray a = x.getManager().create(adv, x.getShape());
        return AttackResult.of(classifier, x, a, labels, null);
    }
}
