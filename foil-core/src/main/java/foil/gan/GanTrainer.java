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
 *
 * <p>With {@code ema} above 0 a {@link GeneratorEma moving average} of the generator's weights is updated after each
 * generator step and checkpointed with the rest; the observer, and whatever loads the run for sampling, see the
 * generator with it installed (the "evaluation weights"), and the training weights are put back afterwards.
 *
 * <p>With {@code evalEvery} above 0 an {@link Evaluator} scores the generator in its evaluation weights at the start,
 * every {@code evalEvery} iterations and at the end; the series goes to {@code eval.json} (rewritten atomically
 * after each entry, and cut back to the checkpoint on resume, like the log) and the evaluator draws it.
 */
public final class GanTrainer {
    public static final String CHECKPOINT = "checkpoint.bin";
    public static final String LOG = "metrics.jsonl";
    public static final String EVAL = "eval.json";
    private static final int MAGIC = 0x464F494C; // "FOIL": no average of the generator
    private static final int MAGIC_EMA = 0x464F4932; // "FOI2": the average's decay in the header, the average after the networks
    private static final double EXPLODED = 1e6;
    private static final long CHECKPOINT_NANOS = 3L * 60 * 1_000_000_000L; // and at least every three minutes

    /** Settings, checked once. */
    public record Options(GanLoss loss, int iterations, int batch, int dSteps, float lrG, float lrD, float beta1,
            float beta2, long seed, int checkpointEvery, int logEvery, boolean lrDecay, float ema, int evalEvery) {
        /** No average of the generator, no evaluation. */
        public Options(GanLoss loss, int iterations, int batch, int dSteps, float lrG, float lrD, float beta1, float beta2,
                long seed, int checkpointEvery, int logEvery, boolean lrDecay) {
            this(loss, iterations, batch, dSteps, lrG, lrD, beta1, beta2, seed, checkpointEvery, logEvery, lrDecay, 0f, 0);
        }

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
            if (!(ema >= 0 && ema < 1)) {
                throw new FoilException("--ema must be in [0, 1) (0: no average of the generator), got " + ema);
            }
            if (evalEvery < 0) {
                throw new FoilException("--eval-every must be 0 (off) or positive, got " + evalEvery);
            }
        }

        /** These settings with an average of the generator of this decay (0: none). */
        public Options withEma(float decay) {
            return new Options(loss, iterations, batch, dSteps, lrG, lrD, beta1, beta2, seed, checkpointEvery, logEvery,
                    lrDecay, decay, evalEvery);
        }

        /** These settings with an evaluation every {@code every} iterations (0: none). */
        public Options withEvalEvery(int every) {
            return new Options(loss, iterations, batch, dSteps, lrG, lrD, beta1, beta2, seed, checkpointEvery, logEvery,
                    lrDecay, ema, every);
        }

        /** Whether the series has an entry at this iteration: the start, every evalEvery, the end. */
        public boolean evaluatesAt(int iteration) {
            return evalEvery > 0 && (iteration % evalEvery == 0 || iteration == iterations);
        }
    }

    /** Where real samples come from: {@code n} rows of the data's shape, flattened. */
    public interface RealData {
        float[] sample(int n, Random random);

        Shape shape();
    }

    /**
     * Called every {@code logEvery} iterations and at the end, to draw and measure, with the generator in its
     * evaluation weights (see {@link #withEvaluationWeights}).
     */
    public interface Observer {
        void observe(int iteration, GanNetworks networks, Map<String, Object> logLine);

        /** Whether to observe at this iteration besides every {@code logEvery} (a schedule's milestones). */
        default boolean wants(int iteration) {
            return false;
        }
    }

    /** Scores the generator for the eval series (see the class comment). */
    public interface Evaluator {
        /** What the series measures and how, for the head of {@code eval.json}. */
        Map<String, Object> describe();

        /** The measurements of one entry, taken of {@code networks} in their evaluation weights. */
        Map<String, Object> evaluate(GanNetworks networks);

        /** Draws the series so far into {@code dir}. */
        void draw(List<Map<String, Object>> series, Path dir);
    }

    private final GanNetworks nets;
    private final RealData data;
    private final Options o;
    private final Path dir;
    private final AdamOptimizer optG;
    private final AdamOptimizer optD;
    private final GeneratorEma ema; // null without an average
    private Random random;
    private int iteration;
    private long lastCheckpoint = System.nanoTime();
    private int checkpointed = -1; // the iteration of this run's checkpoint on disk, -1 while there is none
    private int stage = -1; // the networks' schedule stage of the last iteration run, -1 before the first
    private final List<Map<String, Object>> series = new ArrayList<>();

    public GanTrainer(GanNetworks nets, RealData data, Options options, Path dir) {
        this.nets = nets;
        this.data = data;
        this.o = options;
        this.dir = dir;
        this.optG = new AdamOptimizer(nets.generatorBlock(), nets.manager(), o.lrG(), o.beta1(), o.beta2());
        this.optD = new AdamOptimizer(nets.criticBlock(), nets.manager(), o.lrD(), o.beta1(), o.beta2());
        this.ema = o.ema() > 0 ? new GeneratorEma(nets, o.ema()) : null;
        this.random = new Random(o.seed());
        foil.Foil.seed(o.seed());
    }

    public int iteration() {
        return iteration;
    }

    /** The average of the generator this trainer keeps; null without one. */
    public GeneratorEma ema() {
        return ema;
    }

    /** The eval series so far, oldest first. */
    public List<Map<String, Object>> evalSeries() {
        return java.util.Collections.unmodifiableList(series);
    }

    /** Which weights the observer and sampling for metrics see: "ema" with an average, else "raw". */
    public String evaluationWeights() {
        return ema != null ? "ema" : "raw";
    }

    /**
     * Loads the networks of a checkpoint, to sample from a trained GAN: the generator with its moving average
     * installed where the run kept one ({@link GanNetworks#generatorWeights()} then says "ema").
     */
    public static void loadNetworks(Path dir, GanNetworks nets) {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new FoilException(dir + " has no " + CHECKPOINT + ": train a GAN there with 'foil gan train'");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            float decay = Header.read(in, file).emaDecay();
            in.skipNBytes(in.readInt());
            nets.load(in);
            if (decay > 0) {
                GeneratorEma average = new GeneratorEma(nets, decay);
                average.load(in);
                average.install();
                if (nets instanceof ModelPair pair) {
                    pair.generatorWeights("ema");
                }
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof FoilException f) {
                throw f;
            }
            throw new FoilException("cannot load the networks from " + file + ": " + FoilException.firstLine(e.getMessage()));
        }
    }

    /**
     * The decay of the generator's average a run's checkpoint holds, read from its header; 0 where it holds none
     * (or there is no readable checkpoint).
     */
    public static float storedEmaDecay(Path dir) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(CHECKPOINT)))) {
            return Header.read(in, dir.resolve(CHECKPOINT)).emaDecay();
        } catch (IOException | RuntimeException e) {
            return 0f;
        }
    }

    /** The iteration a run's checkpoint was written at; 0 where there is no readable checkpoint. */
    public static int storedIteration(Path dir) {
        try (DataInputStream in = new DataInputStream(Files.newInputStream(dir.resolve(CHECKPOINT)))) {
            return Header.read(in, dir.resolve(CHECKPOINT)).iteration();
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    /** A checkpoint's head: its iteration and the decay of the generator's average (0: none kept). */
    private record Header(int iteration, float emaDecay) {
        /** Reads the magic number, then the iteration, then the decay in the format that has it. */
        static Header read(DataInputStream in, Path file) throws IOException {
            int magic = in.readInt();
            if (magic != MAGIC && magic != MAGIC_EMA) {
                throw new FoilException(file + " is not a Foil GAN checkpoint");
            }
            int iteration = in.readInt();
            return new Header(iteration, magic == MAGIC_EMA ? in.readFloat() : 0f);
        }
    }

    /** Restores networks, optimizers, the generator's average, iteration and random state from {@code dir}'s checkpoint. */
    public void resume() {
        Path file = dir.resolve(CHECKPOINT);
        if (!Files.isRegularFile(file)) {
            throw new FoilException("nothing to resume in " + dir + ": it has no " + CHECKPOINT);
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(Files.readAllBytes(file)))) {
            Header header = Header.read(in, file);
            iteration = header.iteration();
            float stored = header.emaDecay();
            byte[] rng = new byte[in.readInt()];
            in.readFully(rng);
            try (ObjectInputStream oin = new ObjectInputStream(new ByteArrayInputStream(rng))) {
                random = (Random) oin.readObject();
            }
            nets.load(in);
            if (stored > 0 && ema != null) {
                ema.load(in);
            } else if (stored > 0) {
                GeneratorEma.skip(in); // the run was started with an average and resumed without one
            } else if (ema != null) {
                ema.restart();
                System.err.println("foil: " + file + " holds no average of the generator (a run with --ema 0 or from "
                        + "an older Foil): the average starts from the resumed weights");
            }
            optG.load(in);
            optD.load(in);
            checkpointed = iteration;
            stage = iteration > 0 ? nets.advance((long) (iteration - 1) * o.batch()) : -1;
        } catch (IOException | ClassNotFoundException | RuntimeException e) {
            if (e instanceof FoilException f) {
                throw f;
            }
            throw new FoilException("cannot resume from " + file + " (" + FoilException.firstLine(e.getMessage())
                    + "): the checkpoint is damaged, from other settings, or from a Foil before stop 7 (the MLP GANs "
                    + "changed their layout); start a new run");
        }
        keepLogUpTo(iteration);
        keepSeriesUpTo(iteration);
    }

    private void checkpoint() {
        if (dir == null) {
            return; // benchmarks run without a directory
        }
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC_EMA);
                out.writeInt(iteration);
                out.writeFloat(ema != null ? ema.decay() : 0f);
                ByteArrayOutputStream rng = new ByteArrayOutputStream();
                try (ObjectOutputStream oout = new ObjectOutputStream(rng)) {
                    oout.writeObject(random);
                }
                out.writeInt(rng.size());
                out.write(rng.toByteArray());
                nets.save(out);
                if (ema != null) {
                    ema.save(out);
                }
                optG.save(out);
                optD.save(out);
            }
            AtomicFiles.write(dir.resolve(CHECKPOINT), bytes.toByteArray());
            checkpointed = iteration;
        } catch (IOException e) {
            throw new FoilException("cannot write the checkpoint in " + dir + ": " + e.getMessage());
        }
    }

    /** Trains up to {@code o.iterations()} without an evaluator; returns the last log line. */
    public Map<String, Object> train(Observer observer) {
        return train(observer, null);
    }

    /** Trains up to {@code o.iterations()}, scoring with {@code evaluator} as the options say; returns the last log line. */
    public Map<String, Object> train(Observer observer, Evaluator evaluator) {
        if (o.evalEvery() > 0 && evaluator == null) {
            throw new FoilException("--eval-every needs something to score the samples with: it applies to image GANs");
        }
        Map<String, Object> line = new LinkedHashMap<>();
        try (NDManager root = nets.manager().newSubManager();
                Progress bar = Progress.start("gan " + o.loss().name(), o.iterations())) {
            bar.step(iteration);
            if (iteration == 0) {
                clearLog(); // a new run (--force over an old one) starts its own log and series
                nets.advance(0);
                Map<String, Object> first = new LinkedHashMap<>(Map.of("iteration", 0));
                first.putAll(nets.schedule());
                observe(observer, 0, first);
                if (o.evaluatesAt(0)) {
                    evaluate(evaluator);
                }
            }
            while (iteration < o.iterations()) {
                double dLoss = 0;
                double penalty = 0;
                float scale = o.lrScale(iteration);
                int now = nets.advance((long) iteration * o.batch());
                if (stage >= 0 && now != stage) { // a new stage of the schedule: Adam starts afresh (Karras et al.)
                    optG.reset();
                    optD.reset();
                }
                stage = now;
                for (int k = 0; k < o.dSteps(); k++) {
                    double[] d = discriminatorStep(root, scale, (long) iteration * o.dSteps() + k);
                    dLoss = d[0];
                    penalty = d[1];
                }
                double gLoss = generatorStep(root, scale);
                iteration++;
                int skippedNow = skipped;
                skipped = 0;
                skippedInARow = skippedNow > 0 ? skippedInARow + 1 : 0;
                if (skippedInARow >= SKIPS_IN_A_ROW) {
                    throw new FoilException(String.format("training diverged at iteration %d: %d iterations in a row had "
                            + "non-finite gradients: %slower the learning rates or change the loss", iteration,
                            skippedInARow, whatIsKept()));
                }
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
                if (o.loss().gradientPenalty() > 0 || o.loss().r1() > 0) {
                    line.put(o.loss().r1() > 0 ? "r1_penalty" : "gradient_penalty", penalty);
                }
                line.putAll(nets.schedule());
                if (skippedNow > 0) { // updates left out: their gradients were not finite
                    line.put("skipped_updates", skippedNow);
                }
                if (iteration % o.logEvery() == 0 || iteration == o.iterations() || observer.wants(iteration)) {
                    observe(observer, iteration, line);
                }
                if (o.evaluatesAt(iteration)) {
                    evaluate(evaluator);
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

    /** One entry of the eval series, at this iteration; then eval.json and the evaluator's figures. */
    private void evaluate(Evaluator evaluator) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("iteration", iteration);
        entry.putAll(withEvaluationWeights(evaluator::evaluate));
        series.add(entry);
        if (dir == null) {
            return;
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("eval_every", o.evalEvery());
        file.put("generator_weights", evaluationWeights());
        file.put("ema_decay", o.ema());
        file.putAll(evaluator.describe());
        file.put("series", series);
        try {
            Json.write(dir.resolve(EVAL), file);
        } catch (IOException e) {
            throw new FoilException("cannot write " + dir.resolve(EVAL) + ": " + e.getMessage());
        }
        evaluator.draw(series, dir);
    }

    private void observe(Observer observer, int at, Map<String, Object> line) {
        withEvaluationWeights(n -> {
            observer.observe(at, n, line);
            return null;
        });
    }

    /**
     * Runs {@code body} with the generator holding its evaluation weights (the average, where one is kept), then puts
     * the training weights back: every generator parameter, batch norm's running statistics too, which sampling in
     * training mode moves. So drawing and measuring leave the training exactly as it was.
     */
    public <T> T withEvaluationWeights(java.util.function.Function<GanNetworks, T> body) {
        try (NDManager scope = nets.manager().newSubManager()) {
            List<NDArray> kept = new ArrayList<>();
            for (var p : nets.generatorBlock().getParameters()) {
                NDArray copy = p.getValue().getArray().duplicate(); // in the weight's manager until attached
                copy.attach(scope);
                kept.add(copy);
            }
            if (ema != null) {
                ema.install();
            }
            ModelPair pair = nets instanceof ModelPair p ? p : null;
            if (pair != null) {
                pair.generatorWeights(evaluationWeights());
            }
            try {
                return body.apply(nets);
            } finally {
                if (pair != null) {
                    pair.generatorWeights("raw");
                }
                int k = 0;
                for (var p : nets.generatorBlock().getParameters()) {
                    GeneratorEma.copy(kept.get(k++), p.getValue().getArray());
                }
            }
        }
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

    /**
     * One critic step; returns its loss and its penalty (WGAN-GP's, or R1's where it was taken this step, else the
     * last one taken).
     */
    private double[] discriminatorStep(NDManager root, float lrScale, long step) {
        try (NDManager s = root.newSubManager()) {
            NDArray x = nets.prepareReal(real(s, o.batch()));
            // no graph: grad mode is off here
            NDArray fake = nets.generateForTraining(noise(s, o.batch()), random).stopGradient();
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
            boolean r1Now = o.loss().r1() > 0 && step % o.loss().r1Every() == 0;
            try (GradientCollector gc = foil.Foil.engine().newGradientCollector()) {
                // R1's pass gives the real scores with their input gradient; otherwise one call scores both batches
                NDArray[] scores = r1Now ? nets.scoreWithInputGradient(x) : nets.scoreBoth(x, fake);
                NDArray realScores = scores[0];
                NDArray inputGradient = r1Now ? scores[1] : null;
                NDArray fakeScores = r1Now ? nets.score(fake) : scores[1];
                NDArray l = o.loss().discriminator(realScores, fakeScores);
                if (o.loss().drift() > 0) {
                    l = l.add(realScores.square().mean().mul(o.loss().drift()));
                }
                if (r1Now) { // γ/2·E‖∇D(x)‖², lazily every r1Every steps and scaled by it (StyleGAN2)
                    NDArray r1 = inputGradient.reshape(o.batch(), -1).square().sum(new int[] {1}).mean();
                    lastR1 = r1.getFloat();
                    l = l.add(r1.mul(o.loss().r1() / 2 * o.loss().r1Every()));
                }
                penalty = lastR1;
                if (eps != null) {
                    NDArray gp = GradientPenalty.of(nets, x, fake, eps);
                    penalty = gp.getFloat();
                    l = l.add(gp.mul(o.loss().gradientPenalty()));
                }
                loss = l.getFloat();
                gc.backward(l);
            }
            if (!optD.stepIfFinite(lrScale)) {
                skipped++;
            }
            if (o.loss().clip() > 0) {
                optD.clipWeights(o.loss().clip());
            }
            return new double[] {loss, penalty};
        }
    }

    private double lastR1; // the last R1 penalty taken (lazy R1 takes it every r1Every critic steps)
    private int skipped; // updates skipped for non-finite gradients in this iteration
    private int skippedInARow; // iterations in a row with a skipped update
    static final int SKIPS_IN_A_ROW = 25;

    /** One generator step through the frozen critic; returns its loss. */
    private double generatorStep(NDManager root, float lrScale) {
        try (NDManager s = root.newSubManager()) {
            NDArray z = noise(s, o.batch());
            foil.nn.Trainable.set(nets.criticBlock(), false);
            double loss;
            try (GradientCollector gc = foil.Foil.engine().newGradientCollector()) {
                NDArray l = o.loss().generator(nets.score(nets.generateForTraining(z, random)));
                loss = l.getFloat();
                gc.backward(l);
            } finally {
                foil.nn.Trainable.set(nets.criticBlock(), true);
            }
            if (!optG.stepIfFinite(lrScale)) {
                skipped++;
            }
            if (ema != null) {
                ema.update();
            }
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
        series.clear();
        if (dir == null) {
            return;
        }
        try {
            Files.deleteIfExists(dir.resolve(LOG));
            Files.deleteIfExists(dir.resolve(EVAL));
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

    /** On resume, keep the eval series' entries up to the checkpoint (those after it will be measured again). */
    private void keepSeriesUpTo(int last) {
        series.clear();
        Path file = dir.resolve(EVAL);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> content = Json.MAPPER.readValue(file.toFile(), Map.class);
            for (Object e : (List<?>) content.getOrDefault("series", List.of())) {
                @SuppressWarnings("unchecked")
                Map<String, Object> entry = (Map<String, Object>) e;
                if (((Number) entry.get("iteration")).intValue() <= last) {
                    series.add(entry);
                }
            }
            content.put("series", series);
            Json.write(file, content);
        } catch (IOException | RuntimeException e) {
            throw new FoilException("cannot read the eval series in " + file + " (" + FoilException.firstLine(
                    e.getMessage()) + "): move it away to start the series again");
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
