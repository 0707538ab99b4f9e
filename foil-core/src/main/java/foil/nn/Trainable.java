package foil.nn;

import ai.djl.nn.Block;
import ai.djl.nn.Parameter;

/** Switches a block's weights between taking gradients and not; batch-norm running statistics never take any. */
public final class Trainable {
    private Trainable() {}

    public static void set(Block block, boolean trainable) {
        block.freezeParameters(!trainable, p -> p.getType() != Parameter.Type.RUNNING_MEAN
                && p.getType() != Parameter.Type.RUNNING_VAR);
    }
}
