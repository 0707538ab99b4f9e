package foil.model;

import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Block;
import ai.djl.nn.Blocks;
import ai.djl.nn.Parameter;
import ai.djl.nn.SequentialBlock;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import ai.djl.training.initializer.XavierInitializer;
import foil.FoilException;
import foil.nn.Conv2dBlock;
import java.util.Arrays;
import java.util.stream.Collectors;

/** The classifier architectures Foil trains, by the names the CLI uses. */
public enum Architecture {
    /** Softmax regression: one linear layer on the flattened image. */
    SOFTMAX("softmax", "softmax regression (one linear layer)"),
    /** A multilayer perceptron, 100-100-10 with ReLU. */
    MLP("mlp", "multilayer perceptron 100-100-classes, ReLU"),
    /** A small CNN with batch norm (≥ 91% on Fashion-MNIST in 3 epochs). */
    CNN("cnn", "conv3x3x32-BN-ReLU-pool, conv3x3x64-BN-ReLU-pool, linear 256-ReLU, linear"),
    /** The fixed benchmark CNN: conv 32, pool, conv 64, pool, linear 128, linear. */
    BENCH_CNN("bench-cnn", "conv3x3x32-ReLU-pool, conv3x3x64-ReLU-pool, linear 128-ReLU, linear (benchmarks)");

    public final String cliName;
    public final String description;

    Architecture(String cliName, String description) {
        this.cliName = cliName;
        this.description = description;
    }

    public static Architecture of(String name) {
        for (Architecture a : values()) {
            if (a.cliName.equalsIgnoreCase(name)) {
                return a;
            }
        }
        throw new FoilException("unknown architecture '" + name + "': use one of " + names());
    }

    public static String names() {
        return Arrays.stream(values()).map(a -> a.cliName).collect(Collectors.joining(", "));
    }

    /**
     * The names of the layers, one per block of {@link #build}'s sequence, in order; the last is the logits.
     * Probes and feature measures read a layer's output by these names.
     */
    public java.util.List<String> layerNames() {
        return switch (this) {
            case SOFTMAX -> java.util.List.of("flatten", "logits");
            case MLP -> java.util.List.of("flatten", "fc1", "relu1", "fc2", "relu2", "logits");
            case CNN -> java.util.List.of("conv1", "bn1", "relu1", "pool1", "conv2", "bn2", "relu2", "pool2", "flatten",
                    "fc1", "relu3", "logits");
            case BENCH_CNN -> java.util.List.of("conv1", "relu1", "pool1", "conv2", "relu2", "pool2", "flatten", "fc1",
                    "relu3", "logits");
        };
    }

    /** The representation the last linear layer reads: the penultimate layer's output. */
    public String penultimate() {
        java.util.List<String> names = layerNames();
        return names.get(names.size() - 2);
    }

    /** A new, uninitialised block for images of the given shape and number of classes. */
    public Block build(Shape imageShape, int classes) {
        SequentialBlock net = new SequentialBlock();
        switch (this) {
            case SOFTMAX -> net.add(Blocks.batchFlattenBlock()).add(linear(classes));
            case MLP -> net.add(Blocks.batchFlattenBlock())
                    .add(linear(100)).add(Activation::relu)
                    .add(linear(100)).add(Activation::relu)
                    .add(linear(classes));
            case CNN -> net.add(conv(32)).add(BatchNorm.builder().build()).add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(conv(64)).add(BatchNorm.builder().build()).add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(linear(256)).add(Activation::relu)
                    .add(linear(classes));
            case BENCH_CNN -> net.add(conv(32)).add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(conv(64)).add(Activation::relu)
                    .add(Pool.maxPool2dBlock(new Shape(2, 2)))
                    .add(Blocks.batchFlattenBlock())
                    .add(linear(128)).add(Activation::relu)
                    .add(linear(classes));
            default -> throw new IllegalStateException(name());
        }
        // PyTorch's default, U(-1/sqrt(fan_in), 1/sqrt(fan_in)): DJL's default Xavier is about three times
        // larger on the last layers and trains markedly slower here
        net.setInitializer(new XavierInitializer(XavierInitializer.RandomType.UNIFORM,
                XavierInitializer.FactorType.IN, 1f), Parameter.Type.WEIGHT);
        return net;
    }

    private static Block conv(int filters) {
        return Conv2dBlock.of(filters, 3, 1, 1, true);
    }

    private static Block linear(int units) {
        return Linear.builder().setUnits(units).build();
    }
}
