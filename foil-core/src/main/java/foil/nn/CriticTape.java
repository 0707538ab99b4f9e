package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a discriminator's forward pass and, when recording, keeps for each operation how to carry a gradient back
 * through it, so that ∇ₓD(x) can be written as an ordinary expression of x and the weights: what the gradient
 * penalties (WGAN-GP, R1) need, differentiated by one ordinary backward pass instead of a double backward (which
 * DJL does not offer and which leaks in libtorch through the parameter-gradient cycle). Each operation's
 * vector-Jacobian product is exact: convolutions go back through the transposed convolution with the same weight,
 * LeakyReLU through its slopes at the forward values (piecewise constant), average pooling through nearest
 * upsampling, minibatch standard deviation through its closed form. The tests check the result against autograd.
 */
public final class CriticTape {
    /** A value in the pass, with its place in the recording. */
    public static final class Var {
        final NDArray value;
        final int id;

        Var(NDArray value, int id) {
            this.value = value;
            this.id = id;
        }

        public NDArray value() {
            return value;
        }
    }

    private record Node(int out, int[] inputs, Function<NDArray, NDArray[]> back) {}

    private final boolean recording;
    private final List<Node> nodes = new ArrayList<>();
    private int next;

    /** With {@code recording} false, only the forward values are computed. */
    public CriticTape(boolean recording) {
        this.recording = recording;
    }

    public Var input(NDArray x) {
        return new Var(x, next++);
    }

    private Var record(NDArray out, Var[] in, Function<NDArray, NDArray[]> back) {
        Var v = new Var(out, next++);
        if (recording) {
            int[] ids = new int[in.length];
            for (int i = 0; i < in.length; i++) {
                ids[i] = in[i].id;
            }
            nodes.add(new Node(v.id, ids, back));
        }
        return v;
    }

    /** A stride-1 convolution with padding {@code pad}, weight w (out × in × k × k) and bias b (or null). */
    public Var conv(Var x, NDArray w, NDArray b, int pad) {
        boolean last = Convolution.channelsLastForTraining();
        NDArray y = Convolution.conv2d(x.value, w, b, 1, pad, last);
        return record(y, new Var[] {x}, g -> new NDArray[] {TransposedConv2d.ofConvolution(g, w, 1, pad, last)});
    }

    /** An {@link EqualizedConv2d}. */
    public Var conv(Var x, EqualizedConv2d layer) {
        return conv(x, layer.equalized().weight(x.value.getManager()), layer.equalized().bias(x.value.getManager()),
                layer.padding());
    }

    /** y = x·wᵀ + b for x (n × in), w (out × in). */
    public Var linear(Var x, NDArray w, NDArray b) {
        NDArray y = x.value.dot(w.transpose());
        if (b != null) {
            y = y.add(b);
        }
        return record(y, new Var[] {x}, g -> new NDArray[] {g.dot(w)});
    }

    /** An {@link EqualizedLinear}. */
    public Var linear(Var x, EqualizedLinear layer) {
        return linear(x, layer.equalized().weight(x.value.getManager()), layer.equalized().bias(x.value.getManager()));
    }

    public Var leakyRelu(Var x, float slope) {
        NDArray y = Activation.leakyRelu(x.value, slope);
        return record(y, new Var[] {x}, g -> {
            NDArray slopes = x.value.gt(0f).toType(ai.djl.ndarray.types.DataType.FLOAT32, false).stopGradient()
                    .mul(1 - slope).add(slope);
            return new NDArray[] {g.mul(slopes)};
        });
    }

    public Var downAverage(Var x) {
        return record(Resample.downAverage(x.value), new Var[] {x},
                g -> new NDArray[] {Resample.upNearest(g).mul(0.25f)});
    }

    public Var downAverage(Var x, int times) {
        for (int i = 0; i < times; i++) {
            x = downAverage(x);
        }
        return x;
    }

    /** Pads every side by p pixels of a constant (or crops with negative p). */
    public Var pad(Var x, int p, float value) {
        if (p == 0) {
            return x;
        }
        return record(Resample.pad(x.value, p, value), new Var[] {x}, g -> new NDArray[] {Resample.pad(g, -p, 0f)});
    }

    /** (1 − t)·a + t·b. */
    public Var lerp(Var a, Var b, float t) {
        NDArray y = a.value.mul(1 - t).add(b.value.mul(t));
        return record(y, new Var[] {a, b}, g -> new NDArray[] {g.mul(1 - t), g.mul(t)});
    }

    public Var add(Var a, Var b) {
        return record(a.value.add(b.value), new Var[] {a, b}, g -> new NDArray[] {g, g});
    }

    public Var scale(Var x, float c) {
        return record(x.value.mul(c), new Var[] {x}, g -> new NDArray[] {g.mul(c)});
    }

    public Var minibatchStddev(Var x, int group) {
        return record(MinibatchStddev.apply(x.value, group), new Var[] {x},
                g -> new NDArray[] {MinibatchStddev.inputGradient(x.value, g, group)});
    }

    public Var flatten(Var x) {
        Shape s = x.value.getShape();
        return record(x.value.reshape(s.get(0), -1), new Var[] {x}, g -> new NDArray[] {g.reshape(s)});
    }

    /**
     * ∇ of Σ over the rows of {@code out} with respect to {@code in}: an expression in x and the weights (the forward
     * values are kept in the graph), to be differentiated by the caller's backward pass.
     */
    public NDArray inputGradient(Var out, Var in) {
        if (!recording) {
            throw new IllegalStateException("the tape did not record this pass");
        }
        NDArray[] grads = new NDArray[next];
        grads[out.id] = out.value.onesLike();
        for (int k = nodes.size() - 1; k >= 0; k--) {
            Node node = nodes.get(k);
            NDArray g = grads[node.out];
            if (g == null) {
                continue;
            }
            NDArray[] back = node.back.apply(g);
            for (int i = 0; i < back.length; i++) {
                int id = node.inputs[i];
                grads[id] = grads[id] == null ? back[i] : grads[id].add(back[i]);
            }
        }
        if (grads[in.id] == null) {
            return in.value.zerosLike();
        }
        return grads[in.id];
    }
}
