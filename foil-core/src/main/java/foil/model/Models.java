package foil.model;

import ai.djl.Model;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;

/** Opens a classifier from what a user names: a Foil model directory, a TorchScript file or an ONNX file. */
public final class Models {
    private Models() {}

    /**
     * Loads {@code spec}: a directory with {@code model.json} (a Foil model), an {@code .onnx} file (run by
     * ONNX Runtime: outputs, no gradients), or a TorchScript file (the input shape of a file is the data's,
     * {@code imageShape}).
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
            throw new FoilException("model " + spec + " not found: give a Foil model directory (from 'foil train')"
                    + ", a TorchScript .pt file or an ONNX .onnx file");
        }
        if (spec.getFileName().toString().toLowerCase(java.util.Locale.ROOT).endsWith(".onnx")) {
            return OnnxClassifier.load(spec, imageShape);
        }
        return TorchScriptClassifier.load(spec, imageShape);
    }

    /**
     * Loads {@code file} into {@code model} and makes a classifier of it, closing the model when either step
     * fails; each failure becomes one line: "FILE is not {@code whatCanLoad} can load (why): {@code exportHint}",
     * or "{@code shapeProblem} (why): {@code shapeHint}" when the model does not run on the data's images.
     */
    static <T extends Classifier> T open(Model model, Path file, Map<String, ?> options, Function<Model, T> make,
            String whatCanLoad, String exportHint, String shapeProblem, String shapeHint) {
        try {
            model.load(file, null, options);
        } catch (Exception e) {
            model.close();
            throw new FoilException(file + " is not " + whatCanLoad + " can load ("
                    + FoilException.firstLine(e.getMessage()) + "): " + exportHint);
        }
        try {
            return make.apply(model);
        } catch (FoilException e) {
            model.close();
            throw e;
        } catch (RuntimeException e) {
            model.close();
            throw new FoilException(shapeProblem + " (" + FoilException.firstLine(e.getMessage()) + "): " + shapeHint);
        }
    }
}
