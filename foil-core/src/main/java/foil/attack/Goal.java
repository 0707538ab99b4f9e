package foil.attack;

/**
 * When an attack has reached its goal for each image of a batch: the prediction differs from the label
 * (untargeted) or equals the target (targeted).
 */
record Goal(int[] classes, boolean targeted) {

    static Goal untargeted(int[] labels) {
        return new Goal(labels, false);
    }

    static Goal targeted(int[] targets) {
        return new Goal(targets, true);
    }

    boolean[] reached(int[] predictions) {
        boolean[] out = new boolean[predictions.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = targeted == (predictions[i] == classes[i]);
        }
        return out;
    }

    Goal rows(int[] rows) {
        return new Goal(Images.pick(classes, rows), targeted);
    }
}
