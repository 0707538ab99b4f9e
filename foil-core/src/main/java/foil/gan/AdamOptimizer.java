package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Adam for the parameters of one block only, with state Foil can checkpoint (DJL's optimizers keep theirs
 * private). After each update the block's gradients are zeroed: PyTorch accumulates them, and a generator
 * step must not leave gradients behind for the discriminator's next step.
 */
public final class AdamOptimizer implements AutoCloseable {
    private final float lr;
    private final float beta1;
    private final float beta2;
    private final float eps;
    private final List<Parameter> weights = new ArrayList<>();
    private final List<NDArray> m = new ArrayList<>();
    private final List<NDArray> v = new ArrayList<>();
    private final NDManager manager;
    private int steps;

    public AdamOptimizer(Block block, NDManager parent, float lr, float beta1, float beta2) {
        this.lr = lr;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.eps = 1e-8f;
        this.manager = parent.newSubManager();
        for (Pair<String, Parameter> p : block.getParameters()) {
            Parameter param = p.getValue();
            if (param.getType() == Parameter.Type.RUNNING_MEAN || param.getType() == Parameter.Type.RUNNING_VAR) {
                continue;
            }
            NDArray w = param.getArray();
            weights.add(param);
            m.add(manager.zeros(w.getShape()));
            v.add(manager.zeros(w.getShape()));
        }
    }

    /** One update from the gradients the last backward left; then zeroes them. */
    public void step() {
        step(1f);
    }

    /**
     * One update at {@code scale} times the learning rate (a schedule), by PyTorch's fused Adam kernel (one
     * native call per weight instead of a dozen); then zeroes the gradients. The update is Adam's:
     * w -= lr·√(1-β₂ᵗ)/(1-β₁ᵗ) · m/(√v + ε).
     */
    public void step(float scale) {
        steps++;
        float c1 = (float) (1 - Math.pow(beta1, steps));
        float c2 = (float) (1 - Math.pow(beta2, steps));
        float rate = lr * scale;
        float corrected = (float) (rate * Math.sqrt(c2) / c1);
        for (int k = 0; k < weights.size(); k++) {
            NDArray w = weights.get(k).getArray();
            try (NDArray g = w.getGradient()) {
                JniUtils.adamUpdate((PtNDArray) w, (PtNDArray) g, (PtNDArray) m.get(k), (PtNDArray) v.get(k), rate,
                        corrected, 0f, 1f, -1f, beta1, beta2, eps, false);
            }
            JniUtils.zeroGrad((PtNDArray) w);
        }
    }

    /**
     * {@link #step(float)} where every gradient is finite and their squares sum to a finite number; otherwise no update
     * at all, the gradients zeroed, and false (as mixed-precision training skips a step whose gradients overflowed). A
     * NaN would poison Adam's moments for good, and a gradient beyond 1e19 would make v infinite and freeze its weight.
     */
    public boolean stepIfFinite(float scale) {
        if (!gradientsFinite()) {
            for (Parameter p : weights) {
                JniUtils.zeroGrad((PtNDArray) p.getArray());
            }
            return false;
        }
        step(scale);
        return true;
    }

    private boolean gradientsFinite() {
        if (weights.isEmpty()) {
            return true;
        }
        try (NDManager scope = manager.newSubManager()) {
            NDList sums = new NDList(weights.size());
            for (Parameter p : weights) {
                NDArray g = p.getArray().getGradient();
                g.attach(scope); // what is computed from it then belongs to the scope too
                sums.add(g.square().sum());
            }
            return Float.isFinite(NDArrays.stack(sums).sum().getFloat()); // one sum of all, not one add per weight
        }
    }

    /** Clamps every weight to [-c, c] (WGAN's weight clipping). */
    public void clipWeights(float c) {
        for (Parameter p : weights) {
            NDArray w = p.getArray();
            // DJL's clip makes its two bounds as arrays in the operand's manager: work on a copy in a scope
            try (NDManager scope = manager.newSubManager()) {
                NDArray copy = w.duplicate();
                copy.attach(scope);
                w.addi(copy.clip(-c, c).subi(copy));
            }
        }
    }

    /**
     * Forgets the moments and the step count, as progressive growing does at each new resolution (Karras et al.
     * 2018): the moments of the old schedule would steer the new layers.
     */
    public void reset() {
        steps = 0;
        for (int k = 0; k < weights.size(); k++) { // overwritten, not multiplied by 0: inf·0 would be NaN
            m.get(k).set(new float[(int) m.get(k).size()]);
            v.get(k).set(new float[(int) v.get(k).size()]);
        }
    }

    public int steps() {
        return steps;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(steps);
        out.writeInt(weights.size());
        for (int k = 0; k < weights.size(); k++) {
            writeArray(out, m.get(k));
            writeArray(out, v.get(k));
        }
    }

    public void load(DataInputStream in) throws IOException {
        steps = in.readInt();
        int count = in.readInt();
        if (count != weights.size()) {
            throw new IOException("optimizer state for " + count + " parameters, the network has " + weights.size());
        }
        for (int k = 0; k < count; k++) {
            readArray(in, m.get(k));
            readArray(in, v.get(k));
        }
    }

    static void writeArray(DataOutputStream out, NDArray a) throws IOException {
        float[] f = a.toFloatArray();
        out.writeInt(f.length);
        for (float x : f) {
            out.writeFloat(x);
        }
    }

    static void readArray(DataInputStream in, NDArray a) throws IOException {
        int n = in.readInt();
        if (n != a.size()) {
            throw new IOException("saved state of " + n + " values where " + a.size() + " are needed");
        }
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = in.readFloat();
        }
        a.set(f);
    }

    @Override
    public void close() {
        manager.close();
    }
}
