package foil.gan.cycle;

import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.NormalInitializer;
import foil.Foil;
import foil.FoilException;
import foil.nn.Trainable;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * CycleGAN's four networks (Zhu et al. 2017): G translating domain A to B, F translating B to A ({@link
 * ResnetGenerator}), and a {@link PatchDiscriminator} for each domain, D_A judging images of A and D_B images of B.
 * Each network is a DJL block in its own model; weights start from N(0, 0.02) as the authors' code. Images are
 * N×C×H×W in [-1, 1] (the generators end in tanh). Instance norm has no running statistics, so a forward pass is
 * the same in training and inference and every image is translated on its own.
 */
public final class CycleGan implements AutoCloseable {
    /** The domain a network belongs to. */
    public enum Side {
        A, B;

        public Side other() {
            return this == A ? B : A;
        }
    }

    /** The networks' sizes: the images' channels, height and width, the width w and the residual blocks. */
    public record Config(int channels, int height, int width, int filters, int blocks) {
        public Config {
            if (channels < 1 || filters < 1 || filters > 1024 || blocks < 0 || blocks > 64) {
                throw new FoilException("CycleGAN needs channels >= 1, --width in [1, 1024] and --blocks in [0, 64] "
                        + "(channels " + channels + ", width " + filters + ", blocks " + blocks + ")");
            }
            if (height < 16 || width < 16 || height % 4 != 0 || width % 4 != 0) {
                throw new FoilException("CycleGAN's networks take images whose sides are multiples of 4 and at least "
                        + "16 (two halvings, two doublings, 16x16 patches), not " + height + "x" + width);
            }
        }

        public Shape imageShape() {
            return new Shape(channels, height, width);
        }

        public int imageSize() {
            return channels * height * width;
        }
    }

    private final Config config;
    private final Model toB;
    private final Model toA;
    private final Model criticA;
    private final Model criticB;
    private final ParameterStore store;

    public CycleGan(Config config) {
        this.config = config;
        Shape in = new Shape(1).addAll(config.imageShape());
        toB = model("cyclegan-g-a-to-b", ResnetGenerator.build(config.channels(), config.filters(), config.blocks()), in);
        toA = model("cyclegan-f-b-to-a", ResnetGenerator.build(config.channels(), config.filters(), config.blocks()), in);
        criticA = model("cyclegan-d-a", PatchDiscriminator.build(config.filters()), in);
        criticB = model("cyclegan-d-b", PatchDiscriminator.build(config.filters()), in);
        store = new ParameterStore(toB.getNDManager(), false);
    }

    private static Model model(String name, Block block, Shape input) {
        Model m = Model.newInstance(name, Foil.device(), "PyTorch");
        block.setInitializer(new NormalInitializer(0.02f), Parameter.Type.WEIGHT);
        m.setBlock(block);
        block.initialize(m.getNDManager(), DataType.FLOAT32, input);
        return m;
    }

    public Config config() {
        return config;
    }

    /** The generator translating into {@code target}: G (A to B) for B, F (B to A) for A. */
    public Block generator(Side target) {
        return (target == Side.B ? toB : toA).getBlock();
    }

    /** The discriminator judging images of {@code domain}. */
    public Block discriminator(Side domain) {
        return (domain == Side.A ? criticA : criticB).getBlock();
    }

    /** The four blocks in checkpoint order: G, F, D_A, D_B. */
    public List<Block> blocks() {
        return List.of(toB.getBlock(), toA.getBlock(), criticA.getBlock(), criticB.getBlock());
    }

    public NDManager manager() {
        return toB.getNDManager();
    }

    /** The translation of {@code x} into {@code target}'s domain, recorded for autograd inside a collector. */
    public NDArray translate(NDArray x, Side target) {
        return generator(target).forward(store, new NDList(x), true).singletonOrThrow();
    }

    /** D's patch scores of {@code x} as an image of {@code domain}. */
    public NDArray score(NDArray x, Side domain) {
        return discriminator(domain).forward(store, new NDList(x), true).singletonOrThrow();
    }

    /**
     * Translates {@code n} images in [0, 1] (flattened n × C × H × W) into {@code target}'s domain, in batches of
     * {@code batch}, without an autograd record; the translations in [0, 1].
     */
    public float[] translateUnit(float[] images, int n, Side target, int batch) {
        return map(images, n, batch, x -> translate(x, target));
    }

    /** Each image translated into the other domain and back: x to {@code target} to x's own domain, in [0, 1]. */
    public float[] cycleUnit(float[] images, int n, Side target, int batch) {
        return map(images, n, batch, x -> translate(translate(x, target), target.other()));
    }

    private float[] map(float[] images, int n, int batch, java.util.function.UnaryOperator<NDArray> f) {
        int per = config.imageSize();
        if (images.length != (long) n * per) {
            throw new FoilException(images.length + " values are not " + n + " images of " + config.imageShape());
        }
        float[] out = new float[images.length];
        try (NDManager root = manager().newSubManager()) {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                try (NDManager s = root.newSubManager()) {
                    float[] chunk = new float[b * per];
                    for (int i = 0; i < chunk.length; i++) {
                        chunk[i] = 2 * images[from * per + i] - 1;
                    }
                    NDArray y = f.apply(s.create(chunk, new Shape(b).addAll(config.imageShape())));
                    float[] t = y.toFloatArray();
                    for (int i = 0; i < t.length; i++) {
                        out[from * per + i] = Math.min(1f, Math.max(0f, (t[i] + 1) / 2));
                    }
                }
            }
        }
        return out;
    }

    public void save(DataOutputStream out) throws IOException {
        for (Block b : blocks()) {
            b.saveParameters(out);
        }
    }

    public void load(DataInputStream in) throws IOException {
        Model[] models = {toB, toA, criticA, criticB};
        try {
            for (Model m : models) {
                m.getBlock().loadParameters(m.getNDManager(), in);
                Trainable.set(m.getBlock(), true);
            }
        } catch (ai.djl.MalformedModelException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    /** Arrays the four models' managers hold (weights, and optimizer state made under them): a leak shows here. */
    public int managedArrays() {
        int n = 0;
        for (Model m : new Model[] {toB, toA, criticA, criticB}) {
            n += m.getNDManager().getManagedArrays().size();
        }
        return n;
    }

    @Override
    public void close() {
        toB.close();
        toA.close();
        criticA.close();
        criticB.close();
    }
}
