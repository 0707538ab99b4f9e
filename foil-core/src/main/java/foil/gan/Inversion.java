package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.metrics.FeatureNetwork;
import foil.nn.InputGradient;
import foil.nn.Trainable;
import foil.optim.BoxLbfgs;
import java.util.Random;

/**
 * Inverting a generator by gradient descent (Creswell &amp; Bharath 2018): for an image x, the latent z with
 * G(z) ≈ x, found from {@code restarts} random starting latents by {@code steps} of Adam or L-BFGS on
 *
 * <pre>  mean((G(z) - x)²) + prior · mean(z²) + featureWeight · mean((φ(G(z)) - φ(x))²)</pre>
 *
 * with pixels in [0, 1] (the generator's tanh output mapped by (g + 1) / 2), φ a feature network (optional)
 * and the prior term the Gaussian latent's negative log-density per component up to a constant. The generator
 * runs in inference mode (batch norm with its running statistics), so each image is inverted on its own and the
 * result does not depend on the rest of the batch. The best restart is the one of least pixel error, and that
 * error, mean((G(z) - x)²) over pixels, is each image's score.
 *
 * @param restarts starting latents per image, drawn from N(0, I)
 * @param steps Adam steps, or L-BFGS iterations
 * @param learningRate Adam's step size (unused by L-BFGS)
 * @param prior weight of mean(z²)
 * @param featureWeight weight of the feature distance (0: pixels only)
 */
public record Inversion(int restarts, int steps, double learningRate, double prior, double featureWeight,
        Method method) {

    /** The optimiser. */
    public enum Method {
        ADAM, LBFGS
    }

    /** Each image's best latent, reconstruction (in [0, 1]) and pixel error, and which restart gave it. */
    public record Result(int n, int latent, float[] latents, float[] reconstructions, double[] errors,
            int[] bestRestart) {
        /** The errors as scores for "came from G" (higher = more likely): minus the error. */
        public double[] scores() {
            double[] s = new double[errors.length];
            for (int i = 0; i < s.length; i++) {
                s[i] = -errors[i];
            }
            return s;
        }
    }

    public Inversion {
        if (restarts < 1 || restarts > 100) {
            throw new FoilException("--restarts must be between 1 and 100, not " + restarts);
        }
        if (steps < 1 || steps > 100_000) {
            throw new FoilException("--steps must be between 1 and 100000, not " + steps);
        }
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) {
            throw new FoilException("--lr must be positive, not " + learningRate);
        }
        if (!(prior >= 0) || !Double.isFinite(prior)) {
            throw new FoilException("--prior must be 0 or positive, not " + prior);
        }
        if (!(featureWeight >= 0) || !Double.isFinite(featureWeight)) {
            throw new FoilException("--feature-weight must be 0 or positive, not " + featureWeight);
        }
    }

    public static Inversion defaults() {
        return new Inversion(4, 300, 0.05, 1e-3, 0, Method.ADAM);
    }

    /**
     * Inverts {@code n} images (flattened N × C × H × W in [0, 1], the generator's output shape) in chunks of
     * {@code batch} images; {@code features} is needed only when {@link #featureWeight} is positive.
     */
    public Result invert(GanNetworks nets, float[] images, int n, int batch, FeatureNetwork features, long seed) {
        if (n < 1 || images.length % n != 0) {
            throw new FoilException(images.length + " pixel values are not " + n + " images");
        }
        if (featureWeight > 0 && features == null) {
            throw new FoilException("a feature weight needs a feature network");
        }
        int latent = nets.latent();
        int size = images.length / n;
        float[] latents = new float[n * latent];
        float[] recon = new float[n * size];
        double[] errors = new double[n];
        int[] best = new int[n];
        java.util.Arrays.fill(errors, Double.POSITIVE_INFINITY);
        Random random = new Random(seed);
        Trainable.set(nets.generatorBlock(), false); // gradients for z only
        try {
            for (int from = 0; from < n; from += batch) {
                int b = Math.min(batch, n - from);
                float[] chunk = java.util.Arrays.copyOfRange(images, from * size, (from + b) * size);
                Objective objective = objective(nets, chunk, b, features);
                float[][] z = new float[b * restarts][latent];
                for (float[] row : z) {
                    for (int j = 0; j < latent; j++) {
                        row[j] = (float) random.nextGaussian();
                    }
                }
                z = method == Method.ADAM ? adam(z, objective) : lbfgs(z, objective);
                float[][] pixelsOut = new float[z.length][];
                double[] err = objective.pixelErrors(z, pixelsOut);
                for (int r = 0; r < z.length; r++) {
                    int i = from + r % b; // rows are restart-major: restart r / b of image r % b
                    if (err[r] < errors[i]) {
                        errors[i] = err[r];
                        best[i] = r / b;
                        System.arraycopy(z[r], 0, latents, i * latent, latent);
                        System.arraycopy(pixelsOut[r], 0, recon, i * size, size);
                    }
                }
            }
        } finally {
            Trainable.set(nets.generatorBlock(), true);
        }
        return new Result(n, latent, latents, recon, errors, best);
    }

    /** The objective of {@code b} images, for rows restart-major (row r inverts image r % b). */
    Objective objective(GanNetworks nets, float[] images, int b, FeatureNetwork features) {
        return new Objective(nets, images, b, images.length / b, features);
    }

    private float[][] adam(float[][] z, Objective objective) {
        int rows = z.length;
        int d = z[0].length;
        float[][] m = new float[rows][d];
        float[][] v = new float[rows][d];
        int[] all = new int[rows];
        for (int i = 0; i < rows; i++) {
            all[i] = i;
        }
        double b1 = 0.9;
        double b2 = 0.999;
        double[] values = new double[rows];
        float[][] g = new float[rows][];
        for (int t = 1; t <= steps; t++) {
            objective.evaluate(all, z, values, g);
            double c1 = 1 - Math.pow(b1, t);
            double c2 = 1 - Math.pow(b2, t);
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < d; j++) {
                    m[i][j] = (float) (b1 * m[i][j] + (1 - b1) * g[i][j]);
                    v[i][j] = (float) (b2 * v[i][j] + (1 - b2) * g[i][j] * g[i][j]);
                    z[i][j] -= (float) (learningRate * (m[i][j] / c1) / (Math.sqrt(v[i][j] / c2) + 1e-8));
                }
            }
        }
        return z;
    }

    private float[][] lbfgs(float[][] z, Objective objective) {
        return new BoxLbfgs(-1e30f, 1e30f, 10, steps).minimize(z, objective);
    }

    /** The objective for one chunk of images, its rows restart-major (row r inverts image r % b). */
    final class Objective implements BoxLbfgs.Objective {
        private final GanNetworks nets;
        private final float[] targets;
        private final int b;
        private final int size;
        private final FeatureNetwork features;
        private final float[][] targetFeatures;

        Objective(GanNetworks nets, float[] targets, int b, int size, FeatureNetwork features) {
            this.nets = nets;
            this.targets = targets;
            this.b = b;
            this.size = size;
            this.features = featureWeight > 0 ? features : null;
            this.targetFeatures = this.features == null ? null : this.features.features(targets, b, b);
        }

        @Override
        public void evaluate(int[] which, float[][] points, double[] values, float[][] gradients) {
            int k = which.length;
            int d = points[0].length;
            try (NDManager m = NDManager.newBaseManager(Foil.device())) {
                float[] flat = new float[k * d];
                float[] x = new float[k * size];
                float[][] phi = targetFeatures == null ? null : new float[k][];
                for (int j = 0; j < k; j++) {
                    System.arraycopy(points[j], 0, flat, j * d, d);
                    int image = which[j] % b;
                    System.arraycopy(targets, image * size, x, j * size, size);
                    if (phi != null) {
                        phi[j] = targetFeatures[image];
                    }
                }
                NDArray z = m.create(flat, new Shape(k, d));
                NDArray target = m.create(x, new Shape(k, size));
                NDArray targetPhi = phi == null ? null : m.create(flatten(phi), new Shape(k, phi[0].length));
                float[][] perRow = new float[1][];
                NDArray grad = InputGradient.of(z, in -> {
                    NDArray g = nets.generateInference(in).reshape(k, size).add(1).div(2);
                    NDArray loss = g.sub(target).square().mean(new int[] {1})
                            .add(in.square().mean(new int[] {1}).mul(prior));
                    if (targetPhi != null) {
                        Shape shape = new Shape(k).addAll(features.model().inputShape());
                        NDArray a = features.model().activations(g.reshape(shape), features.layer());
                        loss = loss.add(a.reshape(k, -1).sub(targetPhi).square().mean(new int[] {1})
                                .mul(featureWeight));
                    }
                    perRow[0] = loss.toFloatArray();
                    return loss.sum();
                });
                float[] gf = grad.toFloatArray();
                for (int j = 0; j < k; j++) {
                    values[j] = perRow[0][j];
                    gradients[j] = java.util.Arrays.copyOfRange(gf, j * d, (j + 1) * d);
                }
            }
        }

        /** Pixel error mean((G(z) - x)²) of each row, and its image in [0, 1] into {@code out}. */
        double[] pixelErrors(float[][] points, float[][] out) {
            int k = points.length;
            int d = points[0].length;
            float[] flat = flatten(points);
            double[] err = new double[k];
            try (NDManager m = NDManager.newBaseManager(Foil.device())) {
                float[] g = nets.generateInference(m.create(flat, new Shape(k, d))).toFloatArray();
                for (int r = 0; r < k; r++) {
                    int image = r % b;
                    float[] px = new float[size];
                    double s = 0;
                    for (int p = 0; p < size; p++) {
                        px[p] = Math.min(1f, Math.max(0f, (g[r * size + p] + 1) / 2));
                        double e = (g[r * size + p] + 1) / 2.0 - targets[image * size + p];
                        s += e * e;
                    }
                    out[r] = px;
                    err[r] = s / size;
                }
            }
            return err;
        }
    }

    private static float[] flatten(float[][] rows) {
        int d = rows[0].length;
        float[] flat = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, flat, i * d, d);
        }
        return flat;
    }
}
