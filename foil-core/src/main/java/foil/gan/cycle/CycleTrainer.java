package foil.gan.cycle;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import foil.Foil;
import foil.FoilException;
import foil.gan.AdamOptimizer;
import foil.gan.GanTrainer;
import foil.gan.LeastSquaresLoss;
import foil.io.AtomicFiles;
import foil.io.Progress;
import foil.nn.Trainable;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains {@link CycleGan}'s four networks on unpaired images of two domains (Zhu et al. 2017). Each iteration draws a
 * batch of each domain and takes one generator step, then one discriminator step:
 * <ul>
 * <li>generators (G: A to B and F: B to A together, both discriminators frozen): the least-squares GAN loss of D_B on
 * G(a) and of D_A on F(b), plus λ times the cycle losses |F(G(a)) - a| and |G(F(b)) - b|, plus {@code identity}·λ
 * times the identity losses |G(b) - b| and |F(a) - a| (mean absolute errors over pixels in [-1, 1]);</li>
 * <li>discriminators: D_A on real a against an image of its {@link ImagePool} of F's outputs, D_B likewise, each
 * the least-squares loss halved ({@link LeastSquaresLoss}).</li>
 * </ul>
 * Each network has its own Adam (only its own parameters move); the learning rates stay constant for the first half
 * of the iterations and fall linearly to 0 over the second. A guard the paper does not have scales a step's gradients
 * down to a norm far above healthy ones and skips a step whose gradients are not finite (see {@link #guard}). Every iteration's losses go to {@code metrics.jsonl};
 * networks, optimizers, both pools, the iteration and the Java random source (batches and pool draws) are
 * checkpointed atomically every {@code checkpointEvery} iterations, at least every three minutes and at the end, so a
 * run stopped even by kill -9 resumes where its last checkpoint was and continues as if it had not stopped. A loss
 * that turns NaN or explodes stops the run with a message naming the last good checkpoint.
 */
public final class CycleTrainer {
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String LOG = GanTrainer.LOG;
    private static final int MAGIC = 0x46435943; // "FCYC"
    private static final double EXPLODED = 1e6;
    private static final long CHECKPOINT_NANOS = 3L * 60 * 1_000_000_000L;
    private static final LeastSquaresLoss LOSS = new LeastSquaresLoss();

    /** Settings, checked once. {@code identity} is the identity loss's weight as a fraction of λ (the paper's 0.5). */
    public record Options(int iterations, int batch, float lr, float beta1, float beta2, float lambda, float identity,
            int poolSize, long seed, int checkpointEvery, float clip) {
        /** Foil's gradient guard: far above the norms of healthy steps (tens to about 150 here), far below a blow-up. */
        public static final float DEFAULT_CLIP = 1000f;

        /** With the default gradient guard. */
        public Options(int iterations, int batch, float lr, float beta1, float beta2, float lambda, float identity,
                int poolSize, long seed, int checkpointEvery) {
            this(iterations, batch, lr, beta1, beta2, lambda, identity, poolSize, seed, checkpointEvery, DEFAULT_CLIP);
        }

        /** The paper's settings: Adam 2e-4 with β = (0.5, 0.999), λ = 10, identity 0.5·λ, pools of 50. */
        public static Options paper(int iterations, int batch, long seed, int checkpointEvery) {
            return new Options(iterations, batch, 2e-4f, 0.5f, 0.999f, 10f, 0.5f, ImagePool.DEFAULT_CAPACITY, seed,
                    checkpointEvery);
        }

        public Options {
            if (iterations < 1 || batch < 1 || checkpointEvery < 1) {
                throw new FoilException("--iters, --batch and --checkpoint-every must be positive (got " + iterations
                        + ", " + batch + ", " + checkpointEvery + ")");
            }
            if (!(lr > 0 && lr < 1) || !(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
                throw new FoilException("--lr must be in (0, 1) and the Adam betas in [0, 1)");
            }
            if (!(lambda >= 0 && lambda <= 1e4) || !(identity >= 0 && identity <= 100)) {
                throw new FoilException("--lambda must be in [0, 10000] and --identity in [0, 100]");
            }
            if (!(clip >= 0)) {
                throw new FoilException("--clip-grad must be 0 (off) or positive, not " + clip);
            }
            if (poolSize < 0 || poolSize > 100_000) {
                throw new FoilException("--pool must be in [0, 100000], not " + poolSize);
            }
        }

        /** The learning rates' factor at an iteration (0-based): 1 in the first half, then linearly down to 0. */
        public float lrScale(int iteration) {
            int start = iterations / 2;
            return iteration < start ? 1f : 1f - (float) (iteration - start) / (iterations - start);
        }
    }

    /** Called at every checkpoint and at the end, to draw. */
    public interface Observer {
        void observe(int iteration, CycleGan nets);
    }

    private final CycleGan nets;
    private final GanTrainer.RealData dataA;
    private final GanTrainer.RealData dataB;
    private final Options o;
    private final Path dir;
    private final AdamOptimizer optToB;
    private final AdamOptimizer optToA;
    private final AdamOptimizer optCriticA;
    private final AdamOptimizer optCriticB;
    private final ImagePool poolA; // F's outputs, shown to D_A
    private final ImagePool poolB; // G's outputs, shown to D_B
    private final TrainingLog log;
    private Random random;
    private int iteration;
    private int checkpointed = -1;
    private long lastCheckpoint = System.nanoTime();

    /** {@code dataA} and {@code dataB} give images in [-1, 1] of the networks' shape; {@code dir} null: no files. */
    public CycleTrainer(CycleGan nets, GanTrainer.RealData dataA, GanTrainer.RealData dataB, Options options, Path dir) {
        if (!dataA.shape().equals(nets.config().imageShape()) || !dataB.shape().equals(nets.config().imageShape())) {
            throw new FoilException("both domains' images must be " + nets.config().imageShape() + ", the networks' "
                    + "input; they are " + dataA.shape() + " and " + dataB.shape());
        }
        this.nets = nets;
        this.dataA = dataA;
        this.dataB = dataB;
        this.o = options;
        this.dir = dir;
        NDManager m = nets.manager();
        optToB = new AdamOptimizer(nets.generator(CycleGan.Side.B), m, o.lr(), o.beta1(), o.beta2());
        optToA = new AdamOptimizer(nets.generator(CycleGan.Side.A), m, o.lr(), o.beta1(), o.beta2());
        optCriticA = new AdamOptimizer(nets.discriminator(CycleGan.Side.A), m, o.lr(), o.beta1(), o.beta2());
        optCriticB = new AdamOptimizer(nets.discriminator(CycleGan.Side.B), m, o.lr(), o.beta1(), o.beta2());
        int size = nets.config().imageSize();
        poolA = new ImagePool(o.poolSize(), size);
        poolB = new ImagePool(o.poolSize(), size);
        log = dir == null ? null : new TrainingLog(dir.resolve(LOG));
        random = new Random(o.seed());
    }

    public int iteration() {
        return iteration;
    }

    /** The pool of F's outputs (shown to D_A) or of G's (shown to D_B). */
    public ImagePool pool(CycleGan.Side domain) {
        return domain == CycleGan.Side.A ? poolA : poolB;
    }

    /** Trains up to {@code o.iterations()}; returns the last log line. */
    public Map<String, Object> train(Observer observer) {
        Map<String, Object> line = new LinkedHashMap<>();
        Foil.engine();
        try (NDManager root = nets.manager().newSubManager();
                Progress bar = Progress.start("gan cycle", o.iterations())) {
            bar.step(iteration);
            if (iteration == 0 && log != null) {
                log.clear(); // a new run (--force over an old one) starts its own log
            }
            while (iteration < o.iterations()) {
                float scale = o.lrScale(iteration);
                float[] a = dataA.sample(o.batch(), random);
                float[] b = dataB.sample(o.batch(), random);
                line = new LinkedHashMap<>();
                line.put("iteration", iteration + 1);
                line.put("lr", o.lr() * scale);
                Fakes fakes = generatorStep(root, scale, a, b, line);
                discriminatorStep(root, scale, a, b, fakes, line);
                iteration++;
                bar.step(1);
                for (Map.Entry<String, Object> e : line.entrySet()) {
                    if (e.getKey().startsWith("grad_norm_")) {
                        continue; // the guard's business
                    }
                    double v = ((Number) e.getValue()).doubleValue();
                    if (!Double.isFinite(v) || Math.abs(v) > EXPLODED) {
                        throw new FoilException(String.format("training diverged at iteration %d (%s %s): %slower the "
                                + "learning rate", iteration, e.getKey(), v, whatIsKept()));
                    }
                }
                if (log != null) {
                    log.append(line);
                }
                boolean end = iteration == o.iterations();
                if (iteration % o.checkpointEvery() == 0 || end
                        || System.nanoTime() - lastCheckpoint > CHECKPOINT_NANOS) {
                    checkpoint();
                    lastCheckpoint = System.nanoTime();
                    observer.observe(iteration, nets);
                }
            }
        }
        return line;
    }

    /** The generators' outputs of one step, for the discriminators (flattened, in [-1, 1]). */
    record Fakes(float[] toA, float[] toB) {}

    /** G and F together through the frozen discriminators; their losses go into {@code line}. */
    Fakes generatorStep(NDManager root, float scale, float[] a, float[] b, Map<String, Object> line) {
        try (NDManager s = root.newSubManager()) {
            NDArray xa = batch(s, a);
            NDArray xb = batch(s, b);
            Trainable.set(nets.discriminator(CycleGan.Side.A), false);
            Trainable.set(nets.discriminator(CycleGan.Side.B), false);
            float[] toB;
            float[] toA;
            try (GradientCollector gc = Foil.engine().newGradientCollector()) {
                NDArray fakeB = nets.translate(xa, CycleGan.Side.B);
                NDArray fakeA = nets.translate(xb, CycleGan.Side.A);
                NDArray ganAToB = LOSS.generator(nets.score(fakeB, CycleGan.Side.B));
                NDArray ganBToA = LOSS.generator(nets.score(fakeA, CycleGan.Side.A));
                NDArray cycleA = l1(nets.translate(fakeB, CycleGan.Side.A), xa);
                NDArray cycleB = l1(nets.translate(fakeA, CycleGan.Side.B), xb);
                NDArray total = ganAToB.add(ganBToA).add(cycleA.add(cycleB).mul(o.lambda()));
                line.put("g_gan_a_to_b", (double) ganAToB.getFloat());
                line.put("g_gan_b_to_a", (double) ganBToA.getFloat());
                line.put("cycle_a", (double) cycleA.getFloat());
                line.put("cycle_b", (double) cycleB.getFloat());
                if (o.identity() > 0) {
                    NDArray idtA = l1(nets.translate(xa, CycleGan.Side.A), xa);
                    NDArray idtB = l1(nets.translate(xb, CycleGan.Side.B), xb);
                    total = total.add(idtA.add(idtB).mul(o.identity() * o.lambda()));
                    line.put("identity_a", (double) idtA.getFloat());
                    line.put("identity_b", (double) idtB.getFloat());
                }
                line.put("g_loss", (double) total.getFloat());
                gc.backward(total);
                toB = fakeB.toFloatArray();
                toA = fakeA.toFloatArray();
            } finally {
                Trainable.set(nets.discriminator(CycleGan.Side.A), true);
                Trainable.set(nets.discriminator(CycleGan.Side.B), true);
            }
            if (guard(line, "generators", s, nets.generator(CycleGan.Side.B), nets.generator(CycleGan.Side.A))) {
                optToB.step(scale);
                optToA.step(scale);
            }
            return new Fakes(toA, toB);
        }
    }

    /** D_A and D_B on real images against their pools' answers; their losses go into {@code line}. */
    void discriminatorStep(NDManager root, float scale, float[] a, float[] b, Fakes fakes,
            Map<String, Object> line) {
        float[] shownA = poolA.query(fakes.toA(), o.batch(), random);
        float[] shownB = poolB.query(fakes.toB(), o.batch(), random);
        try (NDManager s = root.newSubManager()) {
            try (GradientCollector gc = Foil.engine().newGradientCollector()) {
                NDArray lossA = LOSS.discriminator(nets.score(batch(s, a), CycleGan.Side.A),
                        nets.score(batch(s, shownA), CycleGan.Side.A));
                NDArray lossB = LOSS.discriminator(nets.score(batch(s, b), CycleGan.Side.B),
                        nets.score(batch(s, shownB), CycleGan.Side.B));
                line.put("d_a", (double) lossA.getFloat());
                line.put("d_b", (double) lossB.getFloat());
                gc.backward(lossA.add(lossB));
            }
            if (guard(line, "discriminators", s, nets.discriminator(CycleGan.Side.A),
                    nets.discriminator(CycleGan.Side.B))) {
                optCriticA.step(scale);
                optCriticB.step(scale);
            }
        }
    }

    /**
     * The gradient guard of one step, over the networks it updates together: their gradients' global L2 norm goes into
     * {@code line} ({@code grad_norm_NAME}); above {@code o.clip()} the gradients are scaled down to it, and when the
     * norm is not finite the step is skipped ({@code skipped_NAME}: 1) and the gradients are zeroed. Returns whether to
     * step. Instance norm's gradient grows by up to 1/√eps ≈ 316 in every layer whose input is (nearly) constant, as a
     * translation saturated to one grey level is: through the dozen normalised layers of a generator that reaches 1e25
     * and more, and one such gradient squared overflows Adam's second moment, after which the network never moves again.
     * The gradients' handles and their squares belong to {@code scope}, the step's manager.
     */
    private boolean guard(Map<String, Object> line, String name, NDManager scope, ai.djl.nn.Block... blocks) {
        double sum = 0;
        List<NDArray> weights = new java.util.ArrayList<>();
        for (ai.djl.nn.Block block : blocks) {
            for (var p : block.getParameters()) {
                NDArray w = p.getValue().getArray();
                if (w.hasGradient()) {
                    weights.add(w);
                    NDArray g = w.getGradient();
                    g.attach(scope); // it and what is computed from it close with the step
                    sum += g.square().sum().getFloat();
                }
            }
        }
        double norm = Math.sqrt(sum);
        line.put("grad_norm_" + name, norm);
        if (!Double.isFinite(norm)) {
            line.put("skipped_" + name, 1);
            for (NDArray w : weights) {
                ai.djl.pytorch.jni.JniUtils.zeroGrad((ai.djl.pytorch.engine.PtNDArray) w);
            }
            return false;
        }
        if (o.clip() > 0 && norm > o.clip()) {
            float factor = (float) (o.clip() / norm);
            for (NDArray w : weights) {
                NDArray g = w.getGradient();
                g.attach(scope);
                g.muli(factor);
            }
        }
        return true;
    }

    /** The mean absolute difference, the cycle and identity losses' L1. */
    static NDArray l1(NDArray x, NDArray y) {
        return x.sub(y).abs().mean();
    }

    private NDArray batch(NDManager s, float[] images) {
        return s.create(images, new Shape(images.length / nets.config().imageSize()).addAll(nets.config().imageShape()));
    }

    /** Restores networks, optimizers, pools, iteration and random state from {@code dir}'s checkpoint. */
    public void resume() {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new FoilException("nothing to resume in " + dir + ": it has no " + CHECKPOINT);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                throw new FoilException(file + " is not a Foil CycleGAN checkpoint");
            }
            iteration = in.readInt();
            byte[] rng = new byte[in.readInt()];
            in.readFully(rng);
            try (ObjectInputStream oin = new ObjectInputStream(new ByteArrayInputStream(rng))) {
                random = (Random) oin.readObject();
            }
            nets.load(in);
            for (AdamOptimizer opt : optimizers()) {
                opt.load(in);
            }
            poolA.load(in);
            poolB.load(in);
            checkpointed = iteration;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (e instanceof FoilException f) {
                throw f;
            }
            throw new FoilException("cannot resume from " + file + " (" + FoilException.firstLine(e.getMessage())
                    + "): the checkpoint is damaged or from other settings; start a new run");
        }
        if (iteration > o.iterations()) {
            throw new FoilException(file + " is at iteration " + iteration + ", past the run's " + o.iterations());
        }
        log.keepUpTo(iteration);
    }

    private AdamOptimizer[] optimizers() {
        return new AdamOptimizer[] {optToB, optToA, optCriticA, optCriticB};
    }

    private void checkpoint() {
        if (dir == null) {
            return;
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeInt(iteration);
                ByteArrayOutputStream rng = new ByteArrayOutputStream();
                try (ObjectOutputStream oout = new ObjectOutputStream(rng)) {
                    oout.writeObject(random);
                }
                out.writeInt(rng.size());
                out.write(rng.toByteArray());
                nets.save(out);
                for (AdamOptimizer opt : optimizers()) {
                    opt.save(out);
                }
                poolA.save(out);
                poolB.save(out);
            }
            AtomicFiles.write(dir.resolve(CHECKPOINT), bytes.toByteArray());
            checkpointed = iteration;
        } catch (IOException e) {
            throw new FoilException("cannot write the checkpoint in " + dir + ": " + e.getMessage());
        }
    }

    /** Loads the four networks of a run's checkpoint (to translate with a trained CycleGAN). */
    public static void loadNetworks(Path dir, CycleGan nets) {
        Path file = dir.resolve(CHECKPOINT);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                throw new FoilException(file + " is not a Foil CycleGAN checkpoint");
            }
            in.readInt();
            in.skipNBytes(in.readInt());
            nets.load(in);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FoilException f) {
                throw f;
            }
            throw new FoilException("cannot load the networks from " + file + ": " + FoilException.firstLine(
                    e.getMessage()));
        }
    }

    private String whatIsKept() {
        if (dir == null) {
            return "";
        }
        if (checkpointed >= 0) {
            return String.format("the last good checkpoint, from iteration %d, is kept in %s; ", checkpointed,
                    dir.resolve(CHECKPOINT));
        }
        return String.format("no checkpoint of this run was written before it (the first was due at iteration %d); ",
                Math.min(o.checkpointEvery(), o.iterations()));
    }
}
