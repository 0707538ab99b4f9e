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
        int ranks = Math.min(targetClasses, classifier.numClasses() - 1);
        Apgd apgd = new Apgd(norm, eps, steps, Apgd.Loss.DLR, 1, 0.75f, 0.75f);
        NDArray a = overTargets(classifier, x, labels, ranks, restarts, (images, y, t, rows, restart) ->
                apgd.single(classifier, images.rows(rows), Images.pick(y, rows), t,
                        Goal.untargeted(y).rows(rows), random.select(rows)));
        return AttackResult.of(classifier, x, a, labels, null);
    }

    /** One run of a targeted attack on the images {@code rows} of the batch, against their targets {@code t}. */
    interface TargetRun {
        Apgd.Trajectory run(Images images, int[] y, int[] t, int[] rows, int restart);
    }

    /**
     * Runs {@code run} against each of the {@code ranks} classes the model ranks highest after its prediction
     * on the clean image (the second, the third, ...) in turn, {@code restarts} times each, each time on the
     * images still robust (their prediction still the label); the adversarial batch (the clean image where
     * no run fooled the model), in the manager of {@code x}.
     */
    static NDArray overTargets(Classifier classifier, NDArray x, NDArray labels, int ranks, int restarts,
            TargetRun run) {
        int classes = classifier.numClasses();
        Images images = Images.of(x);
        int[] y = Images.ints(labels);
        int[][] order;
        try (NDArray logits = classifier.logits(x); NDArray sorted = logits.argSort(1, false)) {
            int[] flat = Images.ints(sorted);
            order = new int[y.length][];
            for (int i = 0; i < y.length; i++) {
                order[i] = java.util.Arrays.copyOfRange(flat, i * classes, (i + 1) * classes);
            }
        }
        boolean[] done = Goal.untargeted(y).reached(classifier.predict(x));
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
                run.run(images, y, t, rows, r).into(rows, adv, done, images.per());
            }
        }
        return x.getManager().create(adv, x.getShape());
    }
}
