package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import foil.FoilException;
import foil.io.AtomicFiles;
import foil.io.Json;
import foil.io.Progress;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Trains a {@link GanNetworks} pair: per iteration, {@code dSteps} discriminator steps on fresh real and
 * generated batches, then one generator step through the frozen discriminator. Every iteration's losses go
 * to {@code metrics.jsonl}; every {@code logEvery} iterations the observer adds its measurements. Each network has its own
 * Adam; only its own parameters move. Noise and data are drawn from one seeded Java random source that is
 * checkpointed with both networks and both optimizers (atomically, every {@code checkpointEvery}
 * iterations, at least every three minutes, and at the end), so a run stopped even by kill -9 resumes where its last checkpoint was and
 * continues exactly as if it had not stopped. A loss that turns NaN or explodes stops the run with a clear
 * message that names the last good checkpoint, left in place, or says that none was written yet.
 */
public final class GanTrainer {
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String LOG = "metrics.jsonl";
    private static final int MAGIC = 0x464F494C; // "FOIL"
    private static final double EXPLODED = 1e6;
    private static final long CHECKPOINT_NANOS = 3L * 60 * 1_000_000_000L; // and at least every three minutes

    /** Settings, checked once. */
    public record Options(GanLoss loss, int iterations, int batch, int dSteps, float lrG, float lrD, float beta1,
            float beta2, long seed, int checkpointEvery, int logEvery, boolean lrDecay) {
        /** Constant learning rates. */
        public Options(GanLoss loss, int iterations, int batch, int dSteps, float lrG, float lrD, float beta1, float beta2,
                long seed, int checkpointEvery, int logEvery) {
            this(loss, iterations, batch, dSteps, lrG, lrD, beta1, beta2, seed, checkpointEvery, logEvery, false);
        }

        /** The learning rates' factor at an iteration: 1, or falling linearly to 0 at the end with lrDecay. */
        public float lrScale(int iteration) {
            return lrDecay ? 1f - (float) iteration / iterations : 1f;
        }

        public Options {
            if (iterations < 1 || batch < 1 || dSteps < 1 || checkpointEvery < 1 || logEvery < 1) {
                throw new FoilException("--iters, --batch, --d-steps, --checkpoint-every and the log interval must be "
                        + "positive");
            }
            if (!(lrG > 0 && lrG < 1) || !(lrD > 0 && lrD < 1)) {
                throw new FoilException("learning rates must be in (0, 1)");
            }
        }
    }

    /** Where real samples come from: {@code n} rows of the data's shape, flattened. */
    public interface RealData {
        float[] sample(int n, Random random);

        Shape shape();
    }

    /** Called every {@code logEvery} iterations and at the end, to draw and measure. */
    public interface Observer {
        void observe(int iteration, GanNetworks networks, Map<String, Object> logLine);
    }

    private final GanNetworks nets;
    private final RealData data;
    private final Options o;
    private final Path dir;
    private final AdamOptimizer optG;
    private final AdamOptimizer optD;
    private Random random;
    private int iteration;
    private long lastCheckpoint = System.nanoTime();
    private int checkpointed = -1; // the iteration of this run's checkpoint on disk, -1 while there is none

    public GanTrainer(GanNetworks nets, RealData data, Options options, Path dir) {
        this.nets = nets;
        this.data = data;
        this.o = options;
        this.dir = dir;
        this.optG = new AdamOptimizer(nets.generatorBlock(), nets.manager(), o.lrG(), o.beta1(), o.beta2());
        this.optD = new AdamOptimizer(nets.criticBlock(), nets.manager(), o.lrD(), o.beta1(), o.beta2());
        this.random = new Random(o.seed());
        foil.Foil.seed(o.seed());
    }

    public int iteration() {
        return iteration;
    }

    /** Loads only the networks of a checkpoint (to sample from a trained GAN). */
    public static void loadNetworks(Path dir, GanNetworks nets) {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new FoilException(dir + " has no " + CHECKPOINT + ": train a GAN there with 'foil gan train'");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                throw new FoilException(file + " is not a Foil GAN checkpoint");
            }
            in.readInt();
            in.skipNBytes(in.readInt());
            nets.load(in);
        } catch (IOException | RuntimeException e) {
            if (e instanceof FoilException f) {
                throw f;
            }
            throw new FoilException("cannot load the networks from " + file + ": " + FoilException.firstLine(e.getMessage()));
        }
    }

    /** Restores networks, optimizers, iteration and random state from {@code dir}'s checkpoint. */
    public void resume() {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new FoilException("nothing to resume in " + dir + ": it has no " + CHECKPOINT);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            if (in.readInt() != MAGIC) {
                throw new FoilException(file + " is not a Foil GAN checkpoint");
            }
            iteration = in.readInt();
            byte[] rng = new byte[in.readInt()];
            in.readFully(rng);
            try (ObjectInputStream oin = new ObjectInputStream(new ByteArrayInputStream(rng))) {
                random = (Random) oin.readObject();
            }
            nets.load(in);
            optG.load(in);
            optD.load(in);
            checkpointed = iteration;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (e instanceof FoilException f) {
                throw f;
            }
            throw new FoilException("cannot resume from " + file + " (" + FoilException.firstLine(e.getMessage())
                    + "): the checkpoint is damaged, from other settings, or from a Foil before stop 7 (the MLP GANs "
                    + "changed their layout); start a new run");
        }
        keepLogUpTo(iteration);
    }

    private void checkpoint() {
        if (dir == null) {
            return; // benchmarks run without a directory
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
                optG.save(out);
                optD.save(out);
            }
            AtomicFiles.write(dir.resolve(CHECKPOINT), bytes.toByteArray());
            checkpointed = iteration;
        } catch (IOException e) {
            throw new FoilException("cannot write the checkpoint in " + dir + ": " + e.getMessage());
        }
    }

    /** Trains up to {@code o.iterations()}; returns the last log line. */
    public Map<String, Object> train(Observer observer) {
        Map<String, Object> line = new LinkedHashMap<>();
        try (NDManager root = nets.manager().newSubManager();
                Progress bar = Progress.start("gan " + o.loss().name(), o.iterations())) {
            bar.step(iteration);
            if (iteration == 0) {
                clearLog(); // a new run (--force over an old one) starts its own log
                observer.observe(0, nets, new LinkedHashMap<>(Map.of("iteration", 0)));
            }
            while (iteration < o.iterations()) {
                double dLoss = 0;
                double penalty = 0;
                float scale = o.lrScale(iteration);
                for (int k = 0; k < o.dSteps(); k++) {
                    double[] d = discriminatorStep(root, scale);
                    dLoss = d[0];
                    penalty = d[1];
                }
                double gLoss = generatorStep(root, scale);
                iteration++;
                bar.step(1);
                if (!Double.isFinite(dLoss) || !Double.isFinite(gLoss) || Math.abs(dLoss) > EXPLODED
                        || Math.abs(gLoss) > EXPLODED) {
                    throw new FoilException(String.format("training diverged at iteration %d (d_loss %s, g_loss %s): "
                            + "%slower the learning rates or change the loss", iteration, dLoss, gLoss, whatIsKept()));
                }
                line = new LinkedHashMap<>();
                line.put("iteration", iteration);
                line.put("d_loss", dLoss);
                line.put("g_loss", gLoss);
                if (o.loss().gradientPenalty() > 0) {
                    line.put("gradient_penalty", penalty);
                }
                if (iteration % o.logEvery() == 0 || iteration == o.iterations()) {
                    observer.observe(iteration, nets, line);
                }
                appendLog(line);
                if (iteration % o.checkpointEvery() == 0 || iteration == o.iterations()
                        || System.nanoTime() - lastCheckpoint > CHECKPOINT_NANOS) {
                    checkpoint();
                    lastCheckpoint = System.nanoTime();
                }
            }
        }
        return line;
    }

    /**
     * What a divergence leaves behind, as the start of its message: this run's last checkpoint (iteration and file),
     * or that none was written yet and when the first was due; nothing for a run without a directory.
     */
    private String whatIsKept() {
        if (dir == null) {
            return "";
        }
        Path file = dir.resolve(CHECKPOINT);
        if (checkpointed >= 0) {
            return String.format("the last good checkpoint, from iteration %d, is kept in %s; ", checkpointed, file);
        }
        String stale = Files.isRegularFile(file) ? ", and the " + CHECKPOINT + " in " + dir + " is an earlier run's" : "";
        return String.format("no checkpoint of this run was written before it (the first was due at iteration %d%s); ",
                Math.min(o.checkpointEvery(), o.iterations()), stale);
    }

    private NDArray noise(NDManager m, int n) {
        float[] z = new float[n * nets.latent()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) random.nextGaussian();
        }
        return m.create(z, new Shape(n, nets.latent()));
    }

    private NDArray real(NDManager m, int n) {
        return m.create(data.sample(n, random), new Shape(n).addAll(data.shape()));
    }

    /** One critic step; returns its loss and the gradient penalty. */
    private double[] discriminatorStep(NDManager root, float lrScale) {
        try (NDManager s = root.newSubManager()) {
            NDArray x = real(s, o.batch());
            NDArray fake = nets.generate(noise(s, o.batch())).stopGradient(); // no graph: grad mode is off here
            NDArray eps = null;
            if (o.loss().gradientPenalty() > 0) {
                float[] e = new float[o.batch()];
                for (int i = 0; i < e.length; i++) {
                    e[i] = random.nextFloat();
                }
                long[] shape = new long[x.getShape().dimension()];
                java.util.Arrays.fill(shape, 1);
                shape[0] = o.batch();
                eps = s.create(e, new Shape(shape));
            }
            double loss;
            double penalty = 0;
            try (GradientCollector gc = foil.Foil.engine().newGradientCollector()) {
                NDArray l = o.loss().discriminator(nets.score(x), nets.score(fake));
                if (eps != null) {
                    NDArray gp = GradientPenalty.of(nets, x, fake, eps);
                    penalty = gp.getFloat();
                    l = l.add(gp.mul(o.loss().gradientPenalty()));
                }
                loss = l.getFloat();
                gc.backward(l);
            }
            optD.step(lrScale);
            if (o.loss().clip() > 0) {
                optD.clipWeights(o.loss().clip());
            }
            return new double[] {loss, penalty};
        }
    }

    /** One generator step through the frozen critic; returns its loss. */
    private double generatorStep(NDManager root, float lrScale) {
        try (NDManager s = root.newSubManager()) {
            NDArray z = noise(s, o.batch());
            foil.nn.Trainable.set(nets.criticBlock(), false);
            double loss;
            try (GradientCollector gc = foil.Foil.engine().newGradientCollector()) {
                NDArray l = o.loss().generator(nets.score(nets.generate(z)));
                loss = l.getFloat();
                gc.backward(l);
            } finally {
                foil.nn.Trainable.set(nets.criticBlock(), true);
            }
            optG.step(lrScale);
            return loss;
        }
    }

    private void appendLog(Map<String, Object> line) {
        if (dir == null) {
            return;
        }
        try {
            Files.writeString(dir.resolve(LOG), Json.line(line) + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new FoilException("cannot append to " + dir.resolve(LOG) + ": " + e.getMessage());
        }
    }

    private void clearLog() {
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(LOG));
        } catch (IOException e) {
            throw new FoilException("cannot start a new " + dir.resolve(LOG) + ": " + e.getMessage());
        }
    }

    /** On resume, drop log lines written after the checkpoint (they will be written again). */
    private void keepLogUpTo(int last) {
        Path log = dir.resolve(LOG);
        if (!Files.isRegularFile(log)) {
            return;
        }
        try {
            List<String> kept = new ArrayList<>();
            for (String l : Files.readAllLines(log)) {
                try {
                    if (Json.MAPPER.readTree(l).get("iteration").asInt() <= last) {
                        kept.add(l);
                    }
                } catch (IOException | RuntimeException e) {
                    // a line cut by a kill: drop it
                }
            }
            AtomicFiles.writeString(log, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
        } catch (IOException e) {
            throw new FoilException("cannot read " + log + ": " + e.getMessage());
        }
    }

    /** Reads the log back (for charts). */
    public static List<Map<String, Object>> readLog(Path dir) {
        List<Map<String, Object>> out = new ArrayList<>();
        try {
            for (String l : Files.readAllLines(dir.resolve(LOG))) {
                if (!l.isBlank()) {
                    @SuppressWarnings("unchecked")
                    Map<String, Object> m = Json.MAPPER.readValue(l, Map.class);
                    out.add(m);
                }
            }
        } catch (IOException e) {
            throw new FoilException("cannot read " + dir.resolve(LOG) + ": " + e.getMessage());
        }
        return out;
    }
}
