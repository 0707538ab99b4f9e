package foil.cli;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of the commands that build a dataset from training images: which images, batch, --out, --spark. */
public class DatasetBuild {
    @Option(names = "--n", description = "Build from the first N training images (default: all).")
    Integer n;

    @Option(names = "--train-subset", description = "Build from training images A:B.")
    String trainSubset;

    @Option(names = "--batch", description = "Batch size.")
    int batch = 250;

    @Option(names = "--out", required = true, description = "Directory to write the dataset and run files into.")
    Path out;

    @Mixin
    SparkOption spark;

    public Integer n() {
        return n;
    }

    public String trainSubset() {
        return trainSubset;
    }

    public int batch() {
        return batch;
    }

    public SparkOption spark() {
        return spark;
    }

    /** The first {@code n} training images, or A:B of them (at least two), with a positive batch size. */
    public ImageDataset trainingImages(DataSource source) {
        return trainingImages(source, n, trainSubset, batch);
    }

    /** The first {@code n} (null: all) training images, or A:B of them (at least two); checks the batch size. */
    public static ImageDataset trainingImages(DataSource source, Integer n, String trainSubset, int batch) {
        if (batch < 1) {
            throw new FoilException("--batch must be positive, not " + batch);
        }
        ImageDataset train = source.train();
        int[] s = Cli.parseSubset(trainSubset);
        if (s != null) {
            train = train.slice(s[0], Math.min(s[1], train.size()));
        }
        if (n != null) {
            if (n < 2) {
                throw new FoilException("--n must be at least 2");
            }
            train = train.head(n);
        }
        if (train.size() < 2) {
            throw new FoilException("the dataset needs at least two training images, not " + train.size());
        }
        return train;
    }
}
