package foil.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import foil.Foil;
import foil.FoilException;
import foil.attack.AttackResult;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.io.Progress;
import java.util.Random;

/**
 * D_NR of Ilyas et al. (2019): each image pushed by targeted L2 PGD on a standard model toward a target class
 * t and relabelled t. To a person it still shows its old class; what makes it a t is only the standard
 * model's non-robust features of t. Training on it and testing on the real test set shows those features
 * generalise.
 */
public record NonRobustDataset(float eps, int steps, float stepSize, Targets targets) implements java.io.Serializable {

    /** How each image's target is chosen: at random among the other classes (D_rand), or y + 1 (D_det). */
    public enum Targets {
        RANDOM("random"),
        NEXT("next");

        public final String cliName;

        Targets(String cliName) {
            this.cliName = cliName;
        }

        public static Targets of(String name) {
            return foil.CliNames.lookup(values(), t -> t.cliName, name, "--targets");
        }
    }

    public NonRobustDataset {
        if (!(eps > 0f) || eps > 100f || steps < 1 || steps > 10_000 || !(stepSize > 0f)) {
            throw new FoilException("a non-robust dataset needs --eps in (0, 100] (L2), --steps in [1, 10000] and a "
                    + "positive --step-size");
        }
    }

    /** Ilyas et al.'s schedule scaled to the budget: steps of eps/10·2.5/… as PGD's default. */
    public static NonRobustDataset of(float eps, int steps, Targets targets) {
        return new NonRobustDataset(eps, steps, Pgd.defaultStep(eps, steps), targets);
    }

    /** The targets for these labels. */
    public int[] targetsFor(int[] labels, int classes, long seed) {
        Random random = new Random(seed);
        int[] t = new int[labels.length];
        for (int i = 0; i < labels.length; i++) {
            t[i] = targets == Targets.NEXT ? (labels[i] + 1) % classes
                    : (labels[i] + 1 + random.nextInt(classes - 1)) % classes;
        }
        return t;
    }

    /**
     * The dataset, and per image its original label, the standard model's prediction at the perturbed image and
     * the perturbation's L2 norm.
     */
    public record Result(ImageDataset dataset, int[] originalLabels, int[] predictions, float[] l2) {
        /** How often the standard model sees the target (the new label). */
        public double targetRate() {
            long hits = 0;
            for (int i = 0; i < predictions.length; i++) {
                hits += predictions[i] == dataset.labels()[i] ? 1 : 0;
            }
            return (double) hits / predictions.length;
        }

        public double meanL2() {
            double sum = 0;
            for (float v : l2) {
                sum += v;
            }
            return sum / l2.length;
        }
    }

    public Result build(Classifier standard, ImageDataset source, long seed, int batch) {
        return build(standard, source, seed, batch, 0, source.size());
    }

    /**
     * The images [from, to) of the whole build's result, built alone: targets are drawn for the whole source, so
     * parts that begin at a multiple of {@code batch} join into exactly the whole build.
     */
    public Result build(Classifier standard, ImageDataset source, long seed, int batch, int from, int to) {
        int count = to - from;
        int per = source.imageSize();
        int[] t = targetsFor(source.labels(), standard.numClasses(), seed);
        float[] out = new float[count * per];
        int[] predictions = new int[count];
        float[] l2 = new float[count];
        Pgd pgd = new Pgd(Norm.L2, eps, stepSize, steps, false, 1);
        try (NDManager root = NDManager.newBaseManager(Foil.device());
                Progress bar = Progress.start("non-robust dataset", count)) {
            for (int lo = from; lo < to; lo += batch) {
                int hi = Math.min(to, lo + batch);
                try (NDManager scope = root.newSubManager()) {
                    NDArray x = source.images(scope, lo, hi);
                    NDArray y = source.labels(scope, lo, hi);
                    NDArray target = scope.create(java.util.Arrays.copyOfRange(t, lo, hi)).toType(DataType.INT64,
                            false);
                    AttackResult r = pgd.run(standard, x, y, target);
                    System.arraycopy(r.adversarial().toFloatArray(), 0, out, (lo - from) * per, (hi - lo) * per);
                    System.arraycopy(r.predictions(), 0, predictions, lo - from, hi - lo);
                    System.arraycopy(r.distortion().l2(), 0, l2, lo - from, hi - lo);
                }
                bar.step(hi - lo);
            }
        }
        ImageDataset d = new ImageDataset(source.name() + " non-robust (" + targets.cliName + " targets)", out,
                java.util.Arrays.copyOfRange(t, from, to), source.channels(), source.height(), source.width(),
                source.numClasses());
        return new Result(d, java.util.Arrays.copyOfRange(source.labels(), from, to), predictions, l2);
    }
}
