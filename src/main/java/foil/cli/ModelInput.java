package foil.cli;

import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.Models;
import java.nio.file.Path;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** --model and --data, shared by the commands that evaluate or attack a model on a test set. */
public class ModelInput {
    @Option(names = "--model", required = true, description = "A Foil model directory or a TorchScript .pt file.")
    Path model;

    @Mixin
    DataOption.Required data;

    /** The dataset, its test split and the model opened for that split's image shape (close the model). */
    record Opened(DataSource source, ImageDataset test, Classifier classifier) {}

    /** The opened classifier as a Foil model, for commands that read its layers (the caller closes it). */
    foil.model.FoilModel foilModel(Classifier c) {
        if (c instanceof foil.model.FoilModel m) {
            return m;
        }
        throw new foil.FoilException("this command reads a layer of the model, which Foil can do for its own models "
                + "only; " + model + " is a TorchScript file");
    }

    Opened open() {
        DataSource source = data.locate();
        ImageDataset test = source.test();
        return new Opened(source, test, Models.load(model, test.imageShape()));
    }
}
