package foil.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxTest {
    @TempDir
    Path dir;

    @Test
    void ubyteRoundTripsPlainAndGzipped() {
        byte[] values = new byte[2 * 3 * 4];
        for (int i = 0; i < values.length; i++) {
            values[i] = (byte) (i * 11);
        }
        for (String name : new String[] {"a-idx3-ubyte", "a-idx3-ubyte.gz"}) {
            Idx.write(dir.resolve(name), IdxArray.ofUbytes(values, 2, 3, 4));
            IdxArray back = Idx.read(dir.resolve(name));
            assertEquals(IdxArray.ElementType.UBYTE, back.type());
            assertArrayEquals(new int[] {2, 3, 4}, back.dims());
            assertArrayEquals(values, back.ubytes());
            assertEquals((values[5] & 0xFF) / 255f, back.toUnitFloats()[5], 1e-7);
        }
    }

    @Test
    void float32RoundTrips() {
        float[] values = {0f, 0.25f, 1f, 0.5f, 0.125f, 0.75f};
        Idx.write(dir.resolve("f.gz"), IdxArray.ofFloats(values, 6));
        assertArrayEquals(values, Idx.read(dir.resolve("f.gz")).floats());
    }

    private Path raw(byte[] bytes) throws IOException {
        Path p = dir.resolve("bad-" + Arrays.hashCode(bytes));
        Files.write(p, bytes);
        return p;
    }

    private static String fault(Path p) {
        return assertThrows(FoilException.class, () -> Idx.read(p)).getMessage();
    }

    private static byte[] valid() {
        return Idx.encode(IdxArray.ofUbytes(new byte[] {1, 2, 3, 4, 5, 6}, 2, 3));
    }

    @Test
    void rejectsEachKindOfCorruption() throws IOException {
        assertTrue(fault(dir.resolve("missing")).contains("not found"));
        assertTrue(fault(raw(new byte[] {0, 0})).contains("too short"));
        byte[] magic = valid();
        magic[0] = 7;
        assertTrue(fault(raw(magic)).contains("magic"));
        byte[] type = valid();
        type[2] = 0x0B;
        assertTrue(fault(raw(type)).contains("element type"));
        byte[] dims = valid();
        dims[3] = 0;
        assertTrue(fault(raw(dims)).contains("dimensions"));
        byte[] zero = valid();
        zero[7] = 0; // first dimension 0
        assertTrue(fault(raw(zero)).contains("positive"));
        byte[] ok = valid();
        assertTrue(fault(raw(Arrays.copyOf(ok, ok.length - 1))).contains("truncated"));
        assertTrue(fault(raw(Arrays.copyOf(ok, ok.length + 3))).contains("after its data"));
        assertTrue(fault(raw(Arrays.copyOf(ok, 6))).contains("header"));
        byte[] gz = {0x1F, (byte) 0x8B, 8, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3};
        assertTrue(fault(raw(gz)).contains("gzip"));
    }

    @Test
    void rejectsNonFiniteFloats() throws IOException {
        byte[] b = Idx.encode(IdxArray.ofFloats(new float[] {Float.NaN, 1f}, 2));
        assertTrue(fault(raw(b)).contains("not finite"));
    }

    @Test
    void readsARealDataSourceAndRejectsMismatchedLabels() throws IOException {
        Path d = foil.testing.Synthetic.writeIdx(dir.resolve("syn"), 40);
        DataSource s = DataSource.locate(d.toString());
        ImageDataset train = s.train();
        assertEquals(40, train.size());
        assertEquals(12, train.height());
        for (float v : train.pixels()) {
            assertTrue(v >= 0f && v <= 1f);
        }
        Idx.write(d.resolve("t10k-labels-idx1-ubyte.gz"), IdxArray.ofUbytes(new byte[3], 3));
        String msg = assertThrows(FoilException.class, s::test).getMessage();
        assertTrue(msg.contains("labels do not match images"), msg);
    }

    @Test
    void missingDatasetSaysWhereItLookedAndHowToGetIt() {
        String msg = assertThrows(FoilException.class,
                () -> DataSource.locate("mnist", dir.toString())).getMessage();
        assertTrue(msg.contains(dir.resolve("mnist").toString()), msg);
        assertTrue(msg.contains("--data DIR"), msg);
        Path empty = dir.resolve("empty");
        empty.toFile().mkdirs();
        assertTrue(assertThrows(FoilException.class, () -> DataSource.locate(empty.toString())).getMessage()
                .contains("train-images-idx3-ubyte"));
        assertTrue(assertThrows(FoilException.class, () -> DataSource.locate("cifar")).getMessage()
                .contains("unknown dataset"));
    }
}
