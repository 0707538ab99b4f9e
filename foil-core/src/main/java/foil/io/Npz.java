package foil.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * Writes NumPy {@code .npz} archives (uncompressed zip of {@code .npy} version 1.0 arrays); {@link #read} reads
 * them back, and those NumPy writes ({@code np.savez} and {@code np.savez_compressed}).
 */
public final class Npz {
    private final Map<String, byte[]> entries = new LinkedHashMap<>();

    public Npz addFloat32(String name, float[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        entries.put(name, npy("<f4", shape, b.array()));
        return this;
    }

    public Npz addFloat64(String name, double[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        entries.put(name, npy("<f8", shape, b.array()));
        return this;
    }

    public Npz addInt64(String name, int[] values, long... shape) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : values) {
            b.putLong(v);
        }
        entries.put(name, npy("<i8", shape, b.array()));
        return this;
    }

    static byte[] npy(String descr, long[] shape, byte[] data) {
        StringBuilder dims = new StringBuilder();
        for (long d : shape) {
            dims.append(d).append(", ");
        }
        String shapeText = shape.length == 1 ? "(" + shape[0] + ",)"
                : "(" + dims.substring(0, Math.max(0, dims.length() - 2)) + ")";
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        int unpadded = 10 + dict.length() + 1;
        int pad = (64 - unpadded % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteArrayOutputStream out = new ByteArrayOutputStream(10 + header.length() + data.length);
        out.write(0x93);
        out.writeBytes("NUMPY".getBytes(StandardCharsets.US_ASCII));
        out.write(1);
        out.write(0);
        int len = header.length();
        out.write(len & 0xFF);
        out.write((len >> 8) & 0xFF);
        out.writeBytes(header.getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        return out.toByteArray();
    }

    /** One array of an archive: its shape (row-major) and its values widened to double. */
    public record Array(long[] shape, double[] values) {
        public int rows() {
            return shape.length == 0 ? 1 : (int) shape[0];
        }
    }

    /**
     * The arrays of an {@code .npz} file by name (without ".npy"): little-endian float32, float64, int32, int64 or
     * uint8, C order, npy format 1.0 to 3.0. Anything else is a {@link foil.FoilException} naming the file.
     */
    public static Map<String, Array> read(Path path) {
        Map<String, Array> out = new LinkedHashMap<>();
        try (java.util.zip.ZipInputStream zip = new java.util.zip.ZipInputStream(
                new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(path)))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName().endsWith(".npy") ? e.getName().substring(0, e.getName().length() - 4)
                        : e.getName();
                out.put(name, parse(path, name, zip.readAllBytes()));
            }
        } catch (IOException e) {
            throw new foil.FoilException("cannot read " + path + " as a NumPy .npz archive: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new foil.FoilException(path + " is not a NumPy .npz archive (no arrays in it)");
        }
        return out;
    }

    private static Array parse(Path path, String name, byte[] b) {
        String where = path + " (array '" + name + "')";
        if (b.length < 10 || (b[0] & 0xFF) != 0x93 || !new String(b, 1, 5, StandardCharsets.US_ASCII).equals("NUMPY")) {
            throw new foil.FoilException(where + " is not a .npy array");
        }
        int major = b[6];
        int headerLen;
        int start;
        if (major == 1) {
            headerLen = (b[8] & 0xFF) | (b[9] & 0xFF) << 8;
            start = 10;
        } else {
            headerLen = ByteBuffer.wrap(b, 8, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            start = 12;
        }
        String header = new String(b, start, headerLen, StandardCharsets.ISO_8859_1);
        java.util.regex.Matcher descr = java.util.regex.Pattern.compile("'descr':\\s*'([^']*)'").matcher(header);
        java.util.regex.Matcher shape = java.util.regex.Pattern.compile("'shape':\\s*\\(([^)]*)\\)").matcher(header);
        if (!descr.find() || !shape.find()) {
            throw new foil.FoilException(where + " has a header Foil cannot read: " + header.trim());
        }
        if (header.contains("'fortran_order': True")) {
            throw new foil.FoilException(where + " is stored in Fortran order: save it with np.ascontiguousarray");
        }
        String[] dims = shape.group(1).split(",");
        long[] dimsOut = java.util.Arrays.stream(dims).map(String::trim).filter(d -> !d.isEmpty())
                .mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long d : dimsOut) {
            count *= d;
        }
        ByteBuffer data = ByteBuffer.wrap(b, start + headerLen, b.length - start - headerLen)
                .order(ByteOrder.LITTLE_ENDIAN);
        int width = switch (descr.group(1)) {
            case "<f4", "<i4" -> 4;
            case "<f8", "<i8" -> 8;
            case "|u1" -> 1;
            default -> throw new foil.FoilException(where + " has element type " + descr.group(1)
                    + ": Foil reads little-endian float32, float64, int32, int64 and uint8");
        };
        if (data.remaining() != count * width) {
            throw new foil.FoilException(where + " holds " + data.remaining() + " bytes where its shape needs "
                    + count * width + ": the file is truncated or corrupt");
        }
        double[] values = new double[(int) count];
        for (int i = 0; i < values.length; i++) {
            values[i] = switch (descr.group(1)) {
                case "<f4" -> data.getFloat();
                case "<f8" -> data.getDouble();
                case "<i4" -> data.getInt();
                case "<i8" -> data.getLong();
                default -> data.get() & 0xFF;
            };
        }
        return new Array(dimsOut, values);
    }

    public void write(Path path) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                zip.putNextEntry(new ZipEntry(e.getKey() + ".npy"));
                zip.write(e.getValue());
                zip.closeEntry();
            }
        }
        AtomicFiles.write(path, bytes.toByteArray());
    }
}
