package foil.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import foil.Foil;
import foil.FoilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A classifier exported to ONNX ({@code torch.onnx.export} or any other exporter), run by DJL's OnnxRuntime
 * engine: N×C×H×W inputs in [0, 1] (or wrapped with {@code --mean/--std}), logits out. ONNX Runtime computes
 * outputs but no gradients, so only black-box attacks (square) run on it; a gradient attack gets a clear
 * error. Inputs and outputs are copied between PyTorch's arrays, where the attacks work, and ONNX Runtime's.
 */
public final class OnnxClassifier implements Classifier {
    /** The attacks that need only a model's outputs, named in the error a gradient attack gets. */
    public static final String BLACK_BOX_ATTACKS = "square";

    private final Model model;
    private final Block block;
    private final ParameterStore parameters = new ParameterStore();
    private final Shape inputShape;
    private final int classes;
    private final Path file;

    private OnnxClassifier(Model model, Shape inputShape, Path file) {
        this.model = model;
        this.block = model.getBlock();
        this.inputShape = inputShape;
        this.file = file;
        try (NDManager probe = NDManager.newBaseManager(Foil.device())) {
            NDArray out = logits(probe.zeros(new Shape(1).addAll(inputShape)));
            if (out.getShape().dimension() != 2) {
                throw new FoilException("ONNX model " + file + " returns shape " + out.getShape()
                        + " for one image of shape " + inputShape + ": it must return logits, N×classes");
            }
            this.classes = (int) out.getShape().get(1);
        }
    }

    /** Loads an ONNX file for inputs of {@code inputShape} (C×H×W, from the data). */
    public static OnnxClassifier load(Path file, Shape inputShape) {
        if (!Files.isRegularFile(file)) {
            throw new FoilException("model file " + file + " not found: give an ONNX .onnx file");
        }
        Foil.engine(); // PyTorch first: it stays the default engine, and the attacks' arrays live there
        Model model;
        try {
            model = Model.newInstance("onnx", Device.cpu(), "OnnxRuntime");
        } catch (RuntimeException e) {
            throw new FoilException("ONNX Runtime is not available (" + FoilException.firstLine(e.getMessage())
                    + "): the onnxruntime jar must be on the class path to read " + file);
        }
        return Models.open(model, file, sessionOptions(), m -> new OnnxClassifier(m, inputShape, file),
                "an ONNX model ONNX Runtime", "export one with torch.onnx.export(model.eval(), x, path, "
                        + "dynamic_axes={...: {0: 'batch'}})",
                "ONNX model " + file + " does not take " + inputShape + " images",
                "check --data matches the model, and that its batch dimension is dynamic");
    }

    /** ONNX Runtime's threads: Foil's intra-op thread count where one was set, one inter-op thread. */
    private static Map<String, String> sessionOptions() {
        String threads = System.getProperty("ai.djl.pytorch.num_threads");
        if (threads == null) {
            return Map.of("interOpNumThreads", "1");
        }
        return Map.of("interOpNumThreads", "1", "intraOpNumThreads", threads);
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public int numClasses() {
        return classes;
    }

    /** The logits, computed by ONNX Runtime and returned as an array of {@code x}'s manager. */
    @Override
    public NDArray logits(NDArray x) {
        NDList out = block.forward(parameters, new NDList(x), false);
        try {
            NDArray y = out.singletonOrThrow();
            return x.getManager().create(y.toFloatArray(), y.getShape());
        } finally {
            out.close();
        }
    }

    @Override
    public NDArray differentiableLogits(NDArray x) {
        throw new FoilException("this attack needs gradients, and the ONNX model " + file.getFileName()
                + " gives none (ONNX Runtime computes outputs only): use a black-box attack (--method "
                + BLACK_BOX_ATTACKS + "), or the model as TorchScript (torch.jit.trace) for gradient attacks");
    }

    @Override
    public boolean hasGradients() {
        return false;
    }

    @Override
    public String describe() {
        return "onnx:" + file.getFileName();
    }

    @Override
    public void close() {
        model.close();
    }
}
