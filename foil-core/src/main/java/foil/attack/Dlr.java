package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/**
 * The difference of logits ratio of Croce and Hein (2020), a margin loss that does not change when the
 * logits are scaled or shifted, so that it still guides an attack where a model's softmax saturates (the
 * commonest form of gradient masking). With π the classes sorted by logit, descending:
 * untargeted −(z_y − max_{i≠y} z_i) / (z_π1 − z_π3), targeted −(z_y − z_t) / (z_π1 − (z_π3 + z_π4)/2).
 * The order of the classes is taken from the logits without gradient; the logits it picks keep theirs.
 */
public final class Dlr {
    private Dlr() {}

    private static final float TINY = 1e-12f;

    /** Per-example untargeted DLR loss (to maximise) of logits B×K for labels B. */
    public static NDArray untargeted(NDArray logits, NDArray labels) {
        int k = classes(logits);
        try (NDArray order = order(logits)) {
            NDArray zy = pick(logits, labels, k);
            NDArray top1 = order.get(":, 0");
            NDArray isTop = top1.eq(labels.toType(top1.getDataType(), false)).toType(DataType.FLOAT32, false);
            NDArray z1 = pick(logits, top1, k);
            NDArray z2 = pick(logits, order.get(":, 1"), k);
            NDArray z3 = pick(logits, order.get(":, 2"), k);
            NDArray other = z2.mul(isTop).add(z1.mul(isTop.neg().add(1f)));
            return zy.sub(other).div(z1.sub(z3).add(TINY)).neg();
        }
    }

    /** Per-example targeted DLR loss (to maximise) of logits B×K for labels and targets B; needs K ≥ 4. */
    public static NDArray targeted(NDArray logits, NDArray labels, NDArray targets) {
        int k = classes(logits);
        if (k < 4) {
            throw new foil.FoilException("the targeted DLR loss needs at least 4 classes, the model has " + k);
        }
        try (NDArray order = order(logits)) {
            NDArray zy = pick(logits, labels, k);
            NDArray zt = pick(logits, targets, k);
            NDArray z1 = pick(logits, order.get(":, 0"), k);
            NDArray z3 = pick(logits, order.get(":, 2"), k);
            NDArray z4 = pick(logits, order.get(":, 3"), k);
            return zy.sub(zt).div(z1.sub(z3.add(z4).mul(0.5f)).add(TINY)).neg();
        }
    }

    private static int classes(NDArray logits) {
        int k = (int) logits.getShape().get(1);
        if (k < 3) {
            throw new foil.FoilException("the DLR loss needs at least 3 classes, the model has " + k);
        }
        return k;
    }

    /** Class indices sorted by logit, descending, per row (no gradient). */
    private static NDArray order(NDArray logits) {
        try (NDArray detached = logits.stopGradient()) {
            return detached.argSort(1, false);
        }
    }

    /** z[i, c_i] per row, differentiable in z. */
    static NDArray pick(NDArray logits, NDArray classes, int k) {
        return logits.mul(classes.toType(DataType.INT64, false).oneHot(k)).sum(new int[] {1});
    }
}
