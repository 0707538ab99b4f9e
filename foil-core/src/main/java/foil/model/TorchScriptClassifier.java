package foil.model;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.engine.PtSymbolBlock;
import ai.djl.pytorch.jni.JniUtils;
import ai.djl.training.ParameterStore;
import foil.Foil;
import foil.FoilException;
import foil.nn.ChannelsLast;
import foil.numerics.ModelRouteCheck;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A classifier exported by PyTorch as TorchScript ({@code torch.jit.trace} or {@code torch.jit.script}),
 * taking N×C×H×W inputs in [0, 1] and returning logits.
 *
 * <p>DJL runs a module in inference mode (no gradients) when called with {@code training=false}, and a
 * {@code training=false} call followed by a {@code training=true} one switches a scripted module to train
 * mode, changing batch-norm statistics. So this class loads with {@code trainParam=true}, freezes the
 * weights, puts the module in eval mode once, and only ever calls it with {@code training=true}: the
 * module stays in eval mode (batch norm uses running statistics, dropout is off) and gradients with respect
 * to the input flow. Outside a gradient collector DJL keeps autograd off, so plain logits record nothing.
 *
 * <p>Where oneDNN computes the module's convolutions, its inputs are laid out channels last ({@link ChannelsLast}):
 * the module then runs 2.5 times faster here (the cnn of scripts/export_torchscript_cnn.py: 95 against 256 µs per
 * image at one thread), with the same numbers, which loading checks ({@link ModelRouteCheck#channelsLast}: logits
 * and input gradient against the N×C×H×W layout at one and two threads). {@code -Dfoil.channelsLast=false} keeps
 * N×C×H×W.
 */
public final class TorchScriptClassifier implements Classifier {
    private final Model model;
    private final PtSymbolBlock block;
    private final ParameterStore parameters;
    private final Shape inputShape;
    private final int classes;
    private final Path file;
    private final boolean channelsLast;

    private TorchScriptClassifier(Model model, Shape inputShape, Path file, Boolean channelsLast) {
        this.model = model;
        this.block = (PtSymbolBlock) model.getBlock();
        this.parameters = new ParameterStore(model.getNDManager(), false);
        this.inputShape = inputShape;
        this.file = file;
        block.freezeParameters(true);
        JniUtils.enableInferenceMode(block); // module.eval(), whatever mode it was saved in
        try (NDManager probe = model.getNDManager().newSubManager()) {
            NDArray out = run(probe.zeros(new Shape(1).addAll(inputShape)), false);
            if (out.getShape().dimension() != 2) {
                throw new FoilException("TorchScript model " + file + " returns shape " + out.getShape()
                        + " for one image of shape " + inputShape + ": it must return logits, N×classes");
            }
            this.classes = (int) out.getShape().get(1);
        }
        // the module's own convolutions cannot be padded: on that route, run it with oneDNN and without once
        ModelRouteCheck.ensure("the TorchScript model " + file.getFileName(), inputShape, x -> run(x, false));
        this.channelsLast = channelsLast != null ? channelsLast
                : ModelRouteCheck.useChannelsLast(inputShape, x -> run(x, false));
    }

    /** Loads a TorchScript file for inputs of {@code inputShape} (C×H×W, from the data). */
    public static TorchScriptClassifier load(Path file, Shape inputShape) {
        return load(file, inputShape, null);
    }

    /** As {@link #load(Path, Shape)}, with inputs laid out channels last or not ({@code null}: as the check finds). */
    static TorchScriptClassifier load(Path file, Shape inputShape, Boolean channelsLast) {
        if (!Files.isRegularFile(file)) {
            throw new FoilException("model file " + file + " not found: give a TorchScript .pt file or a Foil model "
                    + "directory");
        }
        Model model = Model.newInstance("torchscript", Foil.device(), "PyTorch");
        return Models.open(model, file, Map.of("trainParam", "true"), m -> new TorchScriptClassifier(m, inputShape, file, channelsLast),
                "a TorchScript model PyTorch", "export one with torch.jit.trace(model.eval(), x).save(...)",
                "TorchScript model " + file + " does not take " + inputShape + " images",
                "check --data matches the model");
    }

    private NDArray forward(NDArray x) {
        return run(x, channelsLast);
    }

    private NDArray run(NDArray x, boolean lastChannels) {
        NDArray in = lastChannels ? ChannelsLast.of(x) : x;
        return block.forward(parameters, new NDList(in), true).singletonOrThrow();
    }

    /** Whether inputs are laid out channels last. */
    public boolean channelsLast() {
        return channelsLast;
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
        return forward(x);
    }

    @Override
    public String describe() {
        return "torchscript:" + file.getFileName() + (channelsLast ? " (channels last)" : "");
    }

    @Override
    public void close() {
        model.close();
    }
}
