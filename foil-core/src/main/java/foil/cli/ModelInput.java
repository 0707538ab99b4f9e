package foil.cli;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.Models;
import foil.model.NormalizedClassifier;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --model and --data, shared by the commands that evaluate or attack a model on a test set. */
public class ModelInput {
    @Option(names = "--model", required = true,
            description = "A Foil model directory, a TorchScript .pt file or an ONNX .onnx file (black-box attacks only).")
    Path model;

    @Option(names = "--mean", split = ",", description = "The model expects (x - mean)/std: the mean per channel "
            + "(or one for all), e.g. 0.2860. Attacks still work on pixels in [0, 1].")
    float[] mean;

    @Option(names = "--std", split = ",", description = "The model expects (x - mean)/std: the std per channel "
            + "(or one for all), e.g. 0.3530.")
    float[] std;

    @Mixin
    DataOption.Required data;

    /** The dataset, its test split and the model opened for that split's image shape (close the model). */
    record Opened(DataSource source, ImageDataset test, Classifier classifier) {}

    /** The opened classifier as a Foil model, for commands that read its layers (the caller closes it). */
    foil.model.FoilModel foilModel(Classifier c) {
        return requireFoilModel(c, model);
    }

    Opened open() {
        DataSource source = data.locate();
        ImageDataset test = source.test();
        return new Opened(source, test, load(model, mean, std, test));
    }

    /** --model as given. */
    public Path model() {
        return model;
    }

    /** --data as given: a name or a directory. */
    public String dataName() {
        return data.name();
    }

    public float[] mean() {
        return mean;
    }

    public float[] std() {
        return std;
    }

    /** The model at {@code path} for {@code test}'s images, normalised when {@code mean} and {@code std} are given. */
    public static Classifier load(Path path, float[] mean, float[] std, ImageDataset test) {
        if ((mean == null) != (std == null)) {
            throw new FoilException("give --mean and --std together (one value, or one per channel)");
        }
        Classifier c = Models.load(path, test.imageShape());
        if (mean == null) {
            return c;
        }
        try {
            return new NormalizedClassifier(c, mean, std);
        } catch (FoilException e) {
            c.close();
            throw e;
        }
    }

    /** The classifier as a Foil model, for jobs that read its layers (the caller closes it). */
    public static foil.model.FoilModel requireFoilModel(Classifier c, Path path) {
        if (c instanceof foil.model.FoilModel m) {
            return m;
        }
        throw new FoilException("this command reads a layer of the model, which Foil can do for its own models "
                + "only (without --mean/--std); " + path + " is "
                + (c instanceof NormalizedClassifier ? "normalised" : "not a Foil model"));
    }
}
