package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * An exponential moving average of a generator's parameters (Karras et al. 2018; Yazıcı et al. 2019), kept as a
 * copy of its own and updated after each generator step: avg ← β·avg + (1 − β)·w, with β = min(decay,
 * (1 + t)/(10 + t)) at the t-th update (t from 0). The warm-up lets the average follow the weights early on instead
 * of carrying the random initialisation along; it reaches 0.999 after about 9,000 updates. Every parameter is
 * averaged, batch norm's running statistics too (as BigGAN's PyTorch code does), so a sample in inference mode uses
 * statistics of the same averaging. The copy lives in a sub-manager of the generator's, so closing the networks
 * frees it; it is saved and loaded with the checkpoint.
 */
public final class GeneratorEma {
    private final float decay;
    private final List<Parameter> params = new ArrayList<>();
    private final List<NDArray> average = new ArrayList<>();
    private int updates;

    /** Starts the average at the generator's current weights. */
    public GeneratorEma(GanNetworks nets, float decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new foil.FoilException("the decay of the generator's average must be in [0, 1), got " + decay);
        }
        this.decay = decay;
        NDManager manager = nets.manager().newSubManager();
        for (Pair<String, Parameter> p : nets.generatorBlock().getParameters()) {
            params.add(p.getValue());
            NDArray copy = manager.zeros(p.getValue().getArray().getShape());
            average.add(copy);
        }
        restart();
    }

    /** The β of the t-th update (t from 0): the decay, lowered while few updates have been made. */
    public static float decayAt(float decay, int t) {
        return Math.min(decay, (1f + t) / (10f + t));
    }

    public float decay() {
        return decay;
    }

    /** Updates made so far. */
    public int updates() {
        return updates;
    }

    /** Sets the average to the generator's current weights, as if no update had been made. */
    public void restart() {
        for (int k = 0; k < params.size(); k++) {
            copy(params.get(k).getArray(), average.get(k));
        }
        updates = 0;
    }

    /** One update from the generator's current weights, in place. */
    public void update() {
        float beta = decayAt(decay, updates);
        for (int k = 0; k < params.size(); k++) {
            try (NDArray scaled = params.get(k).getArray().mul(1 - beta)) { // in the weight's manager: closed here
                average.get(k).muli(beta).addi(scaled);
            }
        }
        updates++;
    }

    /** Copies the average into the generator's parameters (for sampling). */
    public void install() {
        for (int k = 0; k < params.size(); k++) {
            copy(average.get(k), params.get(k).getArray());
        }
    }

    /**
     * Copies {@code from}'s values into {@code to}'s own memory, natively (index_put_ over the whole array).
     * NDArray.copyTo and set(Buffer) would instead point the tensor at a Java buffer's memory (set_ on a new
     * storage), which a parameter should not be left holding.
     */
    static void copy(NDArray from, NDArray to) {
        to.set(ALL, from);
    }

    private static final ai.djl.ndarray.index.NDIndex ALL = new ai.djl.ndarray.index.NDIndex("...");

    /** The average's values, one array per generator parameter, in the block's order. */
    public float[][] values() {
        float[][] out = new float[average.size()][];
        for (int k = 0; k < out.length; k++) {
            out[k] = average.get(k).toFloatArray();
        }
        return out;
    }

    public void save(DataOutputStream out) throws IOException {
        out.writeInt(updates);
        out.writeInt(average.size());
        for (NDArray a : average) {
            AdamOptimizer.writeArray(out, a);
        }
    }

    public void load(DataInputStream in) throws IOException {
        int done = in.readInt();
        int count = in.readInt();
        if (count != average.size()) {
            throw new IOException("an average of " + count + " generator parameters, the generator has " + average.size());
        }
        for (NDArray a : average) {
            AdamOptimizer.readArray(in, a);
        }
        updates = done;
    }

    /** Reads past a saved average without keeping it. */
    static void skip(DataInputStream in) throws IOException {
        in.readInt();
        int count = in.readInt();
        for (int k = 0; k < count; k++) {
            in.skipNBytes(4L * in.readInt());
        }
    }
}
