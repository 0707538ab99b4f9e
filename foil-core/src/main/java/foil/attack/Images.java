package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;

/**
 * A batch of images held in Java memory (B×C×H×W, row-major), for attacks whose per-image bookkeeping (step
 * sizes, best points, windows) is simplest and cheapest outside the engine; only the model runs in it.
 */
record Images(float[] pixels, Shape shape) {

    static Images of(NDArray x) {
        return new Images(x.toType(DataType.FLOAT32, false).toFloatArray(), x.getShape());
    }

    int count() {
        return (int) shape.get(0);
    }

    int per() {
        return (int) (shape.size() / shape.get(0));
    }

    /** The images at {@code rows}, in that order. */
    Images rows(int[] rows) {
        int per = per();
        float[] out = new float[rows.length * per];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(pixels, rows[i] * per, out, i * per, per);
        }
        return new Images(out, new Shape(rows.length).addAll(shape.slice(1)));
    }

    static int[] ints(NDArray classes) {
        return classes.toType(DataType.INT32, false).toIntArray();
    }

    static long[] longs(int[] v) {
        long[] out = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i];
        }
        return out;
    }

    static int[] pick(int[] v, int[] rows) {
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            out[i] = v[rows[i]];
        }
        return out;
    }

    /** The indices i where flags[i] == value. */
    static int[] indicesOf(boolean[] flags, boolean value) {
        int n = 0;
        for (boolean f : flags) {
            n += f == value ? 1 : 0;
        }
        int[] out = new int[n];
        for (int i = 0, k = 0; i < flags.length; i++) {
            if (flags[i] == value) {
                out[k++] = i;
            }
        }
        return out;
    }
}
