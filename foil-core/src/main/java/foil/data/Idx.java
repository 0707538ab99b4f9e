package foil.data;

import foil.FoilException;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * Reads and writes IDX files (the MNIST format), gzipped or not. Every fault gets its own message: a
 * missing file, a bad magic number, an unsupported element type, a zero dimension, a truncated body or
 * trailing bytes.
 */
public final class Idx {
    private static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Idx() {}

    /** Reads an IDX file; gzip is recognised by its magic bytes, whatever the file's name. */
    public static IdxArray read(Path path) {
        byte[] raw;
        try {
            raw = Files.readAllBytes(path);
        } catch (NoSuchFileException e) {
            throw new FoilException("IDX file not found: " + path + " (check the path or --data)");
        } catch (IOException e) {
            throw new FoilException("cannot read IDX file " + path + ": " + e.getMessage());
        }
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1F && (raw[1] & 0xFF) == 0x8B) {
            raw = gunzip(path, raw);
        }
        return parse(path, raw);
    }

    private static byte[] gunzip(Path path, byte[] raw) {
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
            return in.readAllBytes();
        } catch (ZipException | EOFException e) {
            throw new FoilException("corrupt gzip in IDX file " + path
                    + " (" + e.getMessage() + "): download or decompress it again");
        } catch (IOException e) {
            throw new FoilException("cannot decompress IDX file " + path + ": " + e.getMessage());
        }
    }

    static IdxArray parse(Path path, byte[] raw) {
        String where = "IDX file " + path;
        if (raw.length < 4) {
            throw new FoilException(where + " is too short for an IDX header (" + raw.length
                    + " bytes): it is truncated or not an IDX file");
        }
        if (raw[0] != 0 || raw[1] != 0) {
            throw new FoilException(where + " has a bad magic number (first two bytes must be 0): "
                    + "it is not an IDX file");
        }
        IdxArray.ElementType type = IdxArray.ElementType.of(raw[2] & 0xFF);
        if (type == null) {
            throw new FoilException(where + " has element type 0x" + Integer.toHexString(raw[2] & 0xFF)
                    + ", which Foil does not read: use unsigned byte (0x08) or float32 (0x0D)");
        }
        int ndims = raw[3] & 0xFF;
        if (ndims < 1 || ndims > 4) {
            throw new FoilException(where + " declares " + ndims
                    + " dimensions: IDX data here has 1 to 4 (labels, images)");
        }
        int header = 4 + 4 * ndims;
        if (raw.length < header) {
            throw new FoilException(where + " is truncated inside its header");
        }
        ByteBuffer buf = ByteBuffer.wrap(raw).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[ndims];
        long count = 1;
        for (int i = 0; i < ndims; i++) {
            dims[i] = buf.getInt(4 + 4 * i);
            if (dims[i] <= 0) {
                throw new FoilException(where + " has dimension " + i + " of size " + dims[i]
                        + ": every dimension must be positive");
            }
            count *= dims[i];
            if (count > MAX_ELEMENTS) {
                throw new FoilException(where + " declares more elements than Foil can hold");
            }
        }
        long expected = header + count * type.size;
        if (raw.length < expected) {
            throw new FoilException(where + " is truncated: " + raw.length + " bytes where its header "
                    + "promises " + expected + "; download it again");
        }
        if (raw.length > expected) {
            throw new FoilException(where + " has " + (raw.length - expected)
                    + " bytes after its data: its header does not match its content");
        }
        int n = (int) count;
        if (type == IdxArray.ElementType.UBYTE) {
            byte[] values = new byte[n];
            System.arraycopy(raw, header, values, 0, n);
            return new IdxArray(type, dims, values, null);
        }
        float[] values = new float[n];
        buf.position(header);
        buf.asFloatBuffer().get(values);
        for (float v : values) {
            if (!Float.isFinite(v)) {
                throw new FoilException(where + " holds a value that is not finite (NaN or infinity)");
            }
        }
        return new IdxArray(type, dims, null, values);
    }

    /** Writes an IDX file, gzipped when the name ends in ".gz", atomically (temporary file, then rename). */
    public static void write(Path path, IdxArray array) {
        byte[] body = encode(array);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length);
            if (path.getFileName().toString().endsWith(".gz")) {
                try (OutputStream gz = new GZIPOutputStream(out)) {
                    gz.write(body);
                }
            } else {
                out.write(body);
            }
            foil.io.AtomicFiles.write(path, out.toByteArray());
        } catch (IOException e) {
            throw new FoilException("cannot write IDX file " + path + ": " + e.getMessage());
        }
    }

    static byte[] encode(IdxArray array) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(0);
            out.writeByte(0);
            out.writeByte(array.type().code);
            out.writeByte(array.dims().length);
            for (int d : array.dims()) {
                out.writeInt(d);
            }
            if (array.type() == IdxArray.ElementType.UBYTE) {
                out.write(array.ubytes());
            } else {
                ByteBuffer b = ByteBuffer.allocate(array.floats().length * 4).order(ByteOrder.BIG_ENDIAN);
                b.asFloatBuffer().put(array.floats());
                out.write(b.array());
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return bytes.toByteArray();
    }
}
