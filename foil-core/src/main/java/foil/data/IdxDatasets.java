package foil.data;

import java.nio.file.Path;

/**
 * Writes a dataset in the layout {@link DataSource} reads from a directory (train-images-idx3-ubyte and its
 * siblings), images as float32 IDX in [0, 1] (the reader tells the type by the file's magic number, not its
 * name), labels as unsigned bytes; each file atomically.
 */
public final class IdxDatasets {
    private IdxDatasets() {}

    public static void write(Path dir, ImageDataset train, ImageDataset test) {
        writeSplit(dir, "train", train);
        writeSplit(dir, "t10k", test);
    }

    private static void writeSplit(Path dir, String split, ImageDataset d) {
        int[] dims = d.channels() == 1 ? new int[] {d.size(), d.height(), d.width()}
                : new int[] {d.size(), d.channels(), d.height(), d.width()};
        Idx.write(dir.resolve(split + "-images-idx3-ubyte"), IdxArray.ofFloats(d.pixels(), dims));
        byte[] labels = new byte[d.size()];
        for (int i = 0; i < labels.length; i++) {
            labels[i] = (byte) d.labels()[i];
        }
        Idx.write(dir.resolve(split + "-labels-idx1-ubyte"), IdxArray.ofUbytes(labels, d.size()));
    }
}
