package foil.data;

/** A dataset and one of its splits, as {@code NAME[:train|:test]} names it (the test split when none is named). */
public record DataSplit(DataSource source, boolean train) {
    public static DataSplit parse(String spec) {
        int colon = spec.lastIndexOf(':');
        if (colon > 0 && (spec.endsWith(":train") || spec.endsWith(":test"))) {
            return new DataSplit(DataSource.locate(spec.substring(0, colon)), spec.endsWith(":train"));
        }
        return new DataSplit(DataSource.locate(spec), false);
    }

    /** The split's images. */
    public ImageDataset images() {
        return train ? source.train() : source.test();
    }
}
