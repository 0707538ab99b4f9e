package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;

/**
 * N×C×H×W arrays laid out in memory as N×H×W×C ("channels last"). The array's shape and values are those of its
 * input; only the strides differ, and PyTorch's operators keep that layout from one to the next: oneDNN's
 * convolutions then run without reordering their inputs and outputs, and pooling, batch norm and activations run
 * along contiguous channels. For a one-channel image the two layouts are the same memory, so no copy is made.
 */
public final class ChannelsLast {
    private ChannelsLast() {}

    /** {@code x} (N×C×H×W) with channels-last strides; gradients flow back to {@code x}. */
    public static NDArray of(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4) {
            throw new IllegalArgumentException("channels last needs N×C×H×W, not " + s);
        }
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray nhwc = c == 1 ? x.reshape(n, h, w, 1) : x.transpose(0, 2, 3, 1).flatten().reshape(n, h, w, c);
        return nhwc.transpose(0, 3, 1, 2);
    }
}
