package foil.metrics;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;

/**
 * Multiply-accumulate counts of a network's convolutions and linear layers for one input, from the shapes
 * each layer sees (the block must be initialised). Useful FLOPs = 2 × MACs.
 */
public final class Flops {
    private Flops() {}

    /** MACs of one forward pass of {@code net} on one image of shape {@code image}. */
    public static long forwardMacs(SequentialBlock net, Shape image) {
        Shape shape = new Shape(1).addAll(image);
        long macs = 0;
        for (Block b : net.getChildren().values()) {
            Shape out = b.getOutputShapes(new Shape[] {shape})[0];
            if (b instanceof Conv2d conv) {
                Shape kernel = conv.getParameters().get("weight").getArray().getShape(); // out × in × kh × kw
                macs += out.size() * kernel.get(1) * kernel.get(2) * kernel.get(3);
            } else if (b instanceof Linear) {
                macs += out.size() * shape.get(1);
            }
            shape = out;
        }
        return macs;
    }
}
