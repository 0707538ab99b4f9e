package foil.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.Foil;
import foil.FoilException;
import foil.data.ImageDataset;
import foil.model.FoilModel;
import foil.io.Progress;
import java.util.Random;

/**
 * D_R of Ilyas et al. (2019): each training image x rebuilt, from a random other training image, by gradient
 * descent on ‖g(x_r) − g(x)‖² where g is a robust model's representation (its penultimate layer), keeping x's
 * label. The images keep only the features the robust model uses. Steps are L2-normalised, with a rate that
 * falls linearly to a tenth, and every step is kept in [0, 1].
 */
public record RobustDataset(String layer, int steps, float stepSize) implements java.io.Serializable {

    public RobustDataset {
        if (steps < 1 || steps > 100_000 || !(stepSize > 0f)) {
            throw new FoilException("a robust dataset needs --steps in [1, 100000] and a positive --step-size");
        }
    }

    /**
     * The dataset, the start image used for each, and how well each matches its representation:
     * ‖g(x_r) − g(x)‖ / ‖g(x)‖ per image.
     */
    public record Result(ImageDataset dataset, int[] starts, float[] relativeDistance, float[] startDistance) {
        public double meanRelativeDistance() {
            return mean(relativeDistance);
        }

        public double meanStartDistance() {
            return mean(startDistance);
        }

        public double maxRelativeDistance() {
            double max = 0;
            for (float f : relativeDistance) {
                max = Math.max(max, f);
            }
            return max;
        }

        private static double mean(float[] v) {
            double s = 0;
            for (float f : v) {
                s += f / v.length;
            }
            return s;
        }
    }

    public Result build(FoilModel robust, ImageDataset source, long seed, int batch) {
        return build(robust, source, seed, batch, 0, source.size());
    }

    /**
     * The images [from, to) of the whole build's result, built alone: each image gets the start image the whole
     * build gives it, so parts that begin at a multiple of {@code batch} (as {@code Shard.range} gives) join into
     * exactly the whole build.
     */
    public Result build(FoilModel robust, ImageDataset source, long seed, int batch, int from, int to) {
        String name = robust.resolveLayer(layer);
        int n = source.size();
        if (n < 2) {
            throw new FoilException("a robust dataset needs at least two source images");
        }
        int per = source.imageSize();
        int count = to - from;
        int[] starts = starts(n, seed);
        float[] out = new float[count * per];
        float[] relative = new float[count];
        float[] initial = new float[count];
        try (NDManager root = NDManager.newBaseManager(Foil.device());
                Progress bar = Progress.start("robust dataset", count)) {
            for (int lo = from; lo < to; lo += batch) {
                int hi = Math.min(to, lo + batch);
                try (NDManager scope = root.newSubManager()) {
                    NDArray target = robust.activations(source.images(scope, lo, hi), name);
                    NDArray xr = source.images(scope, starts, lo, hi);
                    System.arraycopy(distance(robust, name, xr, target), 0, initial, lo - from, hi - lo);
                    for (int s = 0; s < steps; s++) {
                        NDArray previous = xr;
                        try (NDManager step = scope.newSubManager()) {
                            xr.tempAttach(step);
                            NDArray g = LayerGradient.of(robust, xr, name, phi -> phi.sub(target).square().sum());
                            NDArray norms = g.reshape(hi - lo, -1).norm(new int[] {1}).maximum(1e-12f)
                                    .reshape(hi - lo, 1, 1, 1);
                            float rate = stepSize * (1f - 0.9f * s / steps);
                            NDArray next = xr.sub(g.div(norms).mul(rate)).clip(0f, 1f);
                            next.attach(scope);
                            xr = next;
                        }
                        previous.close();
                    }
                    System.arraycopy(distance(robust, name, xr, target), 0, relative, lo - from, hi - lo);
                    System.arraycopy(xr.toFloatArray(), 0, out, (lo - from) * per, (hi - lo) * per);
                }
                bar.step(hi - lo);
            }
        }
        ImageDataset d = new ImageDataset(source.name() + " robustified", out,
                java.util.Arrays.copyOfRange(source.labels(), from, to), source.channels(), source.height(),
                source.width(), source.numClasses());
        return new Result(d, java.util.Arrays.copyOfRange(starts, from, to), relative, initial);
    }

    /** The start image of each of {@code n} images: another image, drawn from {@code seed}. */
    private static int[] starts(int n, long seed) {
        Random random = new Random(seed);
        int[] starts = new int[n];
        for (int i = 0; i < n; i++) {
            int s = random.nextInt(n - 1);
            starts[i] = s >= i ? s + 1 : s; // another image
        }
        return starts;
    }

    /** ‖g(x) − target‖ / ‖target‖ per row. */
    private static float[] distance(FoilModel model, String layer, NDArray x, NDArray target) {
        try (NDManager m = x.getManager().newSubManager()) {
            NDArray phi = model.activations(x, layer);
            phi.attach(m);
            NDArray t = target.duplicate();
            t.attach(m);
            return phi.sub(t).norm(new int[] {1}).div(t.norm(new int[] {1}).maximum(1e-12f)).toFloatArray();
        }
    }
}
