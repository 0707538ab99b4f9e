package foil.model;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.training.ParameterStore;
import foil.Foil;
import foil.FoilException;
import foil.io.AtomicFiles;
import foil.io.Json;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** A classifier Foil built: one of its {@link Architecture}s, with its parameters and its record. */
public final class FoilModel implements Classifier {
    public static final String PARAMS_FILE = "model.params";
    public static final String INFO_FILE = "model.json";

    private final Model model;
    private final Architecture architecture;
    private final Shape inputShape;
    private final int classes;
    private final List<String> classNames;
    private final ParameterStore parameters;
    private Map<String, Object> training = Map.of();
    /** Inputs of inference logits laid out channels last (decided at {@link #load}, checked there). */
    private boolean channelsLast;

    private FoilModel(Model model, Architecture architecture, Shape inputShape, int classes,
            List<String> classNames) {
        this.model = model;
        this.architecture = architecture;
        this.inputShape = inputShape;
        this.classes = classes;
        this.classNames = classNames;
        this.parameters = new ParameterStore(model.getNDManager(), false);
    }

    /** A new model with freshly initialised weights (seed them with {@code Engine.setRandomSeed}). */
    public static FoilModel create(Architecture architecture, Shape inputShape, int classes,
            List<String> classNames) {
        Device device = Foil.device();
        Model model = Model.newInstance("foil-" + architecture.cliName, device, "PyTorch");
        Block block = architecture.build(inputShape, classes);
        model.setBlock(block);
        block.initialize(model.getNDManager(), DataType.FLOAT32, batchShape(inputShape, 1));
        return new FoilModel(model, architecture, inputShape, classes, classNames);
    }

    private static Shape batchShape(Shape image, long batch) {
        return new Shape(batch).addAll(image);
    }

    /** Loads a model directory written by {@link #save}. */
    public static FoilModel load(Path dir) {
        Path infoPath = dir.resolve(INFO_FILE);
        Path paramsPath = dir.resolve(PARAMS_FILE);
        if (!Files.isRegularFile(infoPath)) {
            throw new FoilException(dir + " is not a Foil model: it has no " + INFO_FILE
                    + " (train one with 'foil train', or pass a TorchScript .pt file)");
        }
        ModelInfo info;
        try {
            info = Json.MAPPER.readValue(infoPath.toFile(), ModelInfo.class);
        } catch (IOException e) {
            throw new FoilException("cannot read " + infoPath + ": " + FoilException.firstLine(e.getMessage())
                    + " (is it a Foil model.json?)");
        }
        if (!ModelInfo.FORMAT.equals(info.format()) || info.inputShape() == null || info.inputShape().size() != 3
                || info.architecture() == null) {
            throw new FoilException(infoPath + " is not a Foil model record (format " + info.format()
                    + "): train the model again with 'foil train'");
        }
        Architecture arch = Architecture.of(info.architecture());
        Shape shape = new Shape(info.inputShape().stream().mapToLong(Integer::longValue).toArray());
        FoilModel m = create(arch, shape, info.classes(), info.classNames());
        m.training = info.training();
        try (InputStream in = Files.newInputStream(paramsPath);
                DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
            m.model.getBlock().loadParameters(m.model.getNDManager(), data);
        } catch (java.nio.file.NoSuchFileException e) {
            m.close();
            throw new FoilException(dir + " has " + INFO_FILE + " but no " + PARAMS_FILE
                    + ": the model was not saved completely; train it again");
        } catch (IOException | ai.djl.MalformedModelException | RuntimeException e) {
            m.close();
            throw new FoilException("cannot load parameters from " + paramsPath + ": "
                    + FoilException.firstLine(String.valueOf(e.getMessage())) + " (corrupt file or another architecture)");
        }
        // a loaded model is for attacks and evaluations: channels last where the numbers agree (2 to 3 times faster)
        m.channelsLast = foil.numerics.ModelRouteCheck.useChannelsLast(shape, m::differentiableLogits);
        return m;
    }


    /** Writes the parameters and {@code model.json}, each atomically. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir);
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                model.getBlock().saveParameters(out);
            }
            AtomicFiles.write(dir.resolve(PARAMS_FILE), bytes.toByteArray());
            Json.write(dir.resolve(INFO_FILE), info());
        } catch (IOException e) {
            throw new FoilException("cannot save the model to " + dir + ": " + e.getMessage());
        }
    }

    public ModelInfo info() {
        List<Integer> shape = new ArrayList<>();
        for (long d : inputShape.getShape()) {
            shape.add((int) d);
        }
        return new ModelInfo(ModelInfo.FORMAT, architecture.cliName, shape, classes, classNames, training);
    }

    public void setTraining(Map<String, Object> training) {
        this.training = training;
    }

    /**
     * Lets the weights take gradients (training) or not (attacks). Batch-norm running statistics never
     * take gradients.
     */
    public void setTrainable(boolean trainable) {
        foil.nn.Trainable.set(model.getBlock(), trainable);
    }

    public Model djlModel() {
        return model;
    }

    public Block block() {
        return model.getBlock();
    }

    public Architecture architecture() {
        return architecture;
    }

    public List<String> classNames() {
        return classNames;
    }

    @Override
    public Shape inputShape() {
        return inputShape;
    }

    @Override
    public int numClasses() {
        return classes;
    }

    @Override
    public NDArray logits(NDArray x) {
        return forward(x);
    }

    @Override
    public NDArray differentiableLogits(NDArray x) {
        setTrainable(false);
        return forward(x);
    }

    /** The layers {@link #activations} can read, in order (see {@link Architecture#layerNames}). */
    public List<String> layerNames() {
        return architecture.layerNames();
    }

    /** A layer's name, with "penultimate" standing for the representation the last linear layer reads. */
    public String resolveLayer(String name) {
        String layer = "penultimate".equalsIgnoreCase(name) ? architecture.penultimate() : name;
        if (!layerNames().contains(layer)) {
            throw new FoilException("layer '" + name + "' is not in this " + architecture.cliName + " model: use one of "
                    + String.join(", ", layerNames()) + " or penultimate");
        }
        return layer;
    }

    /**
     * The layer feeding a ReLU layer (its pre-activation), or null when {@code layer} is not a ReLU: where a
     * ReLU is silent its gradient is zero, and the pre-activation still says which way to go.
     */
    public String preActivation(String layer) {
        String name = resolveLayer(layer);
        int k = layerNames().indexOf(name);
        return name.startsWith("relu") && k > 0 ? layerNames().get(k - 1) : null;
    }

    /**
     * The output of the named layer for a batch, in inference mode, flattened to B×D; recorded for autograd
     * with respect to the input when called inside a {@code GradientScope} (the weights take no gradient).
     */
    public NDArray activations(NDArray x, String layer) {
        checkShape(x);
        setTrainable(false);
        String name = resolveLayer(layer);
        NDList a = new NDList(x);
        List<String> names = layerNames();
        int k = 0;
        for (ai.djl.util.Pair<String, Block> child : model.getBlock().getChildren()) {
            a = child.getValue().forward(parameters, a, false);
            if (names.get(k++).equals(name)) {
                break;
            }
        }
        NDArray out = a.singletonOrThrow();
        return out.reshape(out.getShape().get(0), -1);
    }

    /**
     * This model as an attack inside a training loop sees it under PyTorch's {@code model.train()}: the logits
     * an attack takes gradients of run in training mode, so batch norm normalises by the batch's own
     * statistics and updates its running statistics (the weights take no gradient); inference logits and
     * predictions are unchanged. Wong et al.'s fast adversarial training runs its attack so. Closing the view
     * leaves the model open.
     */
    public Classifier inTrainingMode() {
        FoilModel self = this;
        return new Classifier() {
            @Override
            public Shape inputShape() {
                return self.inputShape();
            }

            @Override
            public int numClasses() {
                return self.numClasses();
            }

            @Override
            public NDArray logits(NDArray x) {
                return self.logits(x);
            }

            @Override
            public NDArray differentiableLogits(NDArray x) {
                checkShape(x);
                setTrainable(false);
                return model.getBlock().forward(parameters, new NDList(x), true).singletonOrThrow();
            }

            @Override
            public String describe() {
                return self.describe() + " (training mode)";
            }

            @Override
            public void close() {}
        };
    }

    /** Forward in inference mode (batch norm running statistics, no dropout). */
    private NDArray forward(NDArray x) {
        checkShape(x);
        NDList out = model.getBlock().forward(parameters,
                new NDList(channelsLast ? foil.nn.ChannelsLast.of(x) : x), false);
        return out.singletonOrThrow();
    }

    private void checkShape(NDArray x) {
        Shape s = x.getShape();
        if (s.dimension() != 4 || !s.slice(1).equals(inputShape)) {
            throw new FoilException("input of shape " + s + " does not fit this model, which takes N×"
                    + Arrays.toString(inputShape.getShape()) + " images");
        }
    }

    @Override
    public String describe() {
        return "foil:" + architecture.cliName + (channelsLast ? " (channels last)" : "");
    }

    @Override
    public void close() {
        model.close();
    }
}
