package foil.model;

import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a classifier from what a user names: a Foil model directory or a TorchScript file. */
public final class Models {
    private Models() {}

    /**
     * Loads {@code spec}: a directory with {@code model.json} (a Foil model), or a TorchScript file (its
     * input shape is the data's, {@code imageShape}).
     */
    public static Classifier load(Path spec, Shape imageShape) {
        if (Files.isDirectory(spec)) {
            FoilModel m = FoilModel.load(spec);
            if (imageShape != null && !m.inputShape().equals(imageShape)) {
                m.close();
                throw new FoilException("model " + spec + " takes " + m.inputShape() + " images but the data has "
                        + imageShape + ": use data of the shape the model was trained on");
            }
            return m;
        }
        if (Files.isRegularFile(spec) && spec.getFileName().toString().equals(FoilModel.INFO_FILE)) {
            return load(spec.getParent(), imageShape);
        }
        if (!Files.exists(spec)) {
            throw new FoilException("model " + spec + " not found: give a Foil model directory (from 'foil train') "
                    + "or a TorchScript .pt file");
        }
        return TorchScriptClassifier.load(spec, imageShape);
    }
}
