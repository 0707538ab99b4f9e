package foil.data;

import java.util.Arrays;

/**
 * The content of one IDX file: its element type, its dimensions and its values. Unsigned bytes are kept
 * in {@code ubytes}, float32 values in {@code floats}; the other array is null.
 */
public record IdxArray(ElementType type, int[] dims, byte[] ubytes, float[] floats) {

    /** IDX element types Foil reads and writes. */
    public enum ElementType {
        UBYTE(0x08, 1),
        FLOAT32(0x0D, 4);

        public final int code;
        public final int size;

        ElementType(int code, int size) {
            this.code = code;
            this.size = size;
        }

        static ElementType of(int code) {
            for (ElementType t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    public IdxArray {
        long n = count(dims);
        if (type == ElementType.UBYTE && (ubytes == null || ubytes.length != n)) {
            throw new IllegalArgumentException("ubyte IDX array needs " + n + " values");
        }
        if (type == ElementType.FLOAT32 && (floats == null || floats.length != n)) {
            throw new IllegalArgumentException("float32 IDX array needs " + n + " values");
        }
    }

    public static IdxArray ofUbytes(byte[] values, int... dims) {
        return new IdxArray(ElementType.UBYTE, dims.clone(), values, null);
    }

    public static IdxArray ofFloats(float[] values, int... dims) {
        return new IdxArray(ElementType.FLOAT32, dims.clone(), null, values);
    }

    static long count(int[] dims) {
        long n = 1;
        for (int d : dims) {
            n *= d;
        }
        return n;
    }

    public int length() {
        return (int) count(dims);
    }

    /** Values as floats: unsigned bytes divided by 255 (pixels to [0, 1]), float32 as they are. */
    public float[] toUnitFloats() {
        if (type == ElementType.FLOAT32) {
            return floats;
        }
        float[] out = new float[ubytes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (ubytes[i] & 0xFF) / 255f;
        }
        return out;
    }

    /** Values as integers (labels): unsigned bytes as 0..255, float32 rounded. */
    public int[] toInts() {
        int[] out = new int[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = type == ElementType.UBYTE ? ubytes[i] & 0xFF : Math.round(floats[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "IdxArray[" + type + " " + Arrays.toString(dims) + "]";
    }
}
