package foil.features;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.attack.ImageRandom;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.data.ImageDataset;
import foil.model.FoilModel;
import foil.io.Progress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Features as Ilyas et al. (2019) define them, for a binary task y ∈ {-1, +1}: a feature f is normalised
 * to mean 0 and variance 1 over the data, oriented so that it predicts y, and then has
 * <ul>
 *   <li>ρ-usefulness E[y·f(x)] and</li>
 *   <li>γ-robust usefulness E[inf over ‖δ‖∞ ≤ eps of y·f(x + δ)], the inner infimum found by PGD on that
 *       feature alone: from a random start uniform in the ball (drawn per image and feature from {@code seed}),
 *       sign steps, projection on the ball and on [0, 1]; each image keeps the lower of y·f at its clean point
 *       and at PGD's last point.</li>
 * </ul>
 * Features with high ρ but γ below 0 are useful and non-robust: what adversarial examples exploit.
 * <p>A ReLU's gradient is zero wherever the unit is silent, so PGD on a post-ReLU feature could never switch a
 * silent unit on, and γ would get a floor. PGD therefore follows the feature's pre-activation z (the layer
 * feeding the ReLU): where the unit fires its gradient is the feature's own, where it is silent it still says
 * which way turns the unit on; since ReLU is monotone, whatever lowers y·z lowers y·relu(z). The value
 * measured is always the feature itself.
 */
public record Usefulness(float eps, int steps, float stepSize, long seed) {

    public Usefulness {
        if (!(eps >= 0f) || eps > 1f || steps < 1 || steps > 10_000 || !(stepSize > 0f)) {
            throw new FoilException("usefulness needs --eps in [0, 1], --steps in [1, 10000] and a positive step size");
        }
    }

    public static Usefulness of(float eps, int steps) {
        return of(eps, steps, 0L);
    }

    /** Step 2.5·eps/steps (Madry et al.'s), random starts drawn from {@code seed}. */
    public static Usefulness of(float eps, int steps, long seed) {
        return new Usefulness(eps, steps, 2.5f * Math.max(eps, 1e-6f) / steps, seed);
    }

    /** Per feature: orientation (±1), ρ, γ, and the normalisation used. */
    public record Result(double[] orientation, double[] rho, double[] gamma, double[] mean, double[] std, int n,
            int positives) {
        public int features() {
            return rho.length;
        }

        public Map<String, Object> summary() {
            Map<String, Object> m = new LinkedHashMap<>();
            int live = 0;
            int useful = 0;
            int usefulNonRobust = 0;
            int usefulRobust = 0;
            double maxRho = 0;
            double maxGamma = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < rho.length; k++) {
                if (std[k] == 0) {
                    continue;
                }
                live++;
                maxRho = Math.max(maxRho, rho[k]);
                maxGamma = Math.max(maxGamma, gamma[k]);
                if (rho[k] >= 0.5) {
                    useful++;
                    if (gamma[k] < 0) {
                        usefulNonRobust++;
                    } else if (gamma[k] >= 0.25) {
                        usefulRobust++;
                    }
                }
            }
            m.put("n", n);
            m.put("features", rho.length);
            m.put("live_features", live);
            m.put("useful_features", useful);
            m.put("useful", "rho >= 0.5");
            m.put("useful_non_robust_features", usefulNonRobust);
            m.put("useful_robust_features", usefulRobust);
            m.put("robust", "gamma >= 0.25");
            m.put("max_rho", maxRho);
            m.put("max_gamma", live == 0 ? 0 : maxGamma);
            return m;
        }
    }

    /** ρ of one feature's values: standardise, orient, average y·f. Dead features (no variance) get 0. */
    public static double rho(double[] values, int[] y) {
        Normalisation n = Normalisation.of(values);
        return Math.abs(n.usefulness(values, y));
    }

    /** A feature's mean and standard deviation over the data (0 for a feature without variance). */
    private record Normalisation(double mean, double std) {
        static Normalisation of(double[] v) {
            double mean = 0;
            for (double d : v) {
                mean += d / v.length;
            }
            double var = 0;
            for (double d : v) {
                var += (d - mean) * (d - mean) / v.length;
            }
            return new Normalisation(mean, var > 1e-12 ? Math.sqrt(var) : 0);
        }

        /** E[y·f(x)] for the normalised feature at these values (0 for a dead feature). */
        double usefulness(double[] v, int[] y) {
            if (std == 0) {
                return 0;
            }
            double u = 0;
            for (int i = 0; i < v.length; i++) {
                u += y[i] * (v[i] - mean) / std / v.length;
            }
            return u;
        }
    }

    /**
     * Measures every feature of {@code layer} on the examples of {@code data} whose label is {@code positive}
     * (y = +1) or {@code negative} (y = -1).
     */
    public Result measure(FoilModel model, String layer, ImageDataset data, int positive, int negative, int batch) {
        ImageDataset pair = binary(data, positive, negative);
        int n = pair.size();
        int[] y = new int[n];
        int positives = 0;
        for (int i = 0; i < n; i++) {
            y[i] = pair.labels()[i] == positive ? 1 : -1;
            positives += y[i] > 0 ? 1 : 0;
        }
        try (NDManager root = NDManager.newBaseManager(Foil.device())) {
            float[] f = features(model, layer, pair, root, batch);
            int k = f.length / n;
            double[] mean = new double[k];
            double[] std = new double[k];
            double[] orientation = new double[k];
            double[] rho = new double[k];
            double[] gamma = new double[k];
            for (int j = 0; j < k; j++) {
                double[] col = new double[n];
                for (int i = 0; i < n; i++) {
                    col[i] = f[i * k + j];
                }
                Normalisation norm = Normalisation.of(col);
                mean[j] = norm.mean();
                std[j] = norm.std();
                double signed = norm.usefulness(col, y);
                orientation[j] = signed >= 0 ? 1 : -1;
                rho[j] = Math.abs(signed);
            }
            try (Progress bar = Progress.start("robust usefulness", k)) {
                for (int j = 0; j < k; j++) {
                    if (std[j] > 0) {
                        float[] worst = worstCase(model, layer, pair, y, j, (float) orientation[j], root, batch);
                        double[] w = new double[n];
                        for (int i = 0; i < n; i++) {
                            // the clean point is in the ball too: keep it where PGD ended higher
                            double clean = f[i * k + j];
                            w[i] = orientation[j] * y[i] * clean < orientation[j] * y[i] * worst[i] ? clean : worst[i];
                        }
                        gamma[j] = orientation[j] * new Normalisation(mean[j], std[j]).usefulness(w, y);
                    }
                    bar.step(1);
                }
            }
            return new Result(orientation, rho, gamma, mean, std, n, positives);
        }
    }

    /** The examples of the two classes, in their order. */
    public static ImageDataset binary(ImageDataset data, int positive, int negative) {
        if (positive == negative || positive < 0 || negative < 0 || positive >= data.numClasses()
                || negative >= data.numClasses()) {
            throw new FoilException("--classes needs two different classes of 0 to " + (data.numClasses() - 1));
        }
        ImageDataset pair = data.withLabels(" (" + positive + " vs " + negative + ")",
                l -> l == positive || l == negative);
        if (pair.size() == 0) {
            throw new FoilException("no examples of class " + positive + " or " + negative + " in " + data.name());
        }
        return pair;
    }

    private static float[] features(FoilModel model, String layer, ImageDataset data, NDManager root, int batch) {
        float[] out = null;
        int k = 0;
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            try (NDManager scope = root.newSubManager()) {
                NDArray a = model.activations(data.images(scope, from, to), layer);
                if (out == null) {
                    k = (int) a.getShape().get(1);
                    out = new float[data.size() * k];
                }
                System.arraycopy(a.toFloatArray(), 0, out, from * k, (to - from) * k);
            }
        }
        return out;
    }

    /**
     * f_j at PGD's last point for each example, PGD minimising orientation·y·f_j(x + δ) over the ball by
     * following f_j's pre-activation when the layer is a ReLU (see the class comment).
     */
    private float[] worstCase(FoilModel model, String layer, ImageDataset data, int[] y, int j, float orientation,
            NDManager root, int batch) {
        String pre = model.preActivation(layer);
        String followed = pre != null ? pre : layer;
        float[] out = new float[data.size()];
        for (int from = 0; from < data.size(); from += batch) {
            int to = Math.min(data.size(), from + batch);
            try (NDManager scope = root.newSubManager()) {
                NDArray x = data.images(scope, from, to);
                float[] w = new float[to - from];
                int[] images = new int[to - from];
                for (int i = from; i < to; i++) {
                    w[i - from] = orientation * y[i];
                    images[i - from] = i;
                }
                NDArray weight = scope.create(w, new Shape(to - from));
                NDArray adv = x;
                if (eps > 0) {
                    ImageRandom random = ImageRandom.of(ImageRandom.mix(seed, j), images);
                    adv = Pgd.randomInBall(Norm.LINF, eps, x, random).add(x).clip(0f, 1f);
                }
                for (int s = 0; s < steps && eps > 0; s++) {
                    NDArray previous = adv;
                    try (NDManager step = scope.newSubManager()) {
                        // each step's arrays (the graph, the gradient, clip's bounds) go with its own scope
                        adv.tempAttach(step);
                        x.tempAttach(step);
                        weight.tempAttach(step);
                        NDArray g = LayerGradient.of(model, adv, followed,
                                phi -> phi.get(new NDIndex(":, {}", j)).mul(weight).sum());
                        NDArray next = adv.sub(g.sign().mul(stepSize)).sub(x).clip(-eps, eps).add(x).clip(0f, 1f);
                        next.attach(scope);
                        adv = next;
                    }
                    previous.close();
                }
                NDArray f = model.activations(adv, layer).get(new NDIndex(":, {}", j));
                System.arraycopy(f.toFloatArray(), 0, out, from, to - from);
            }
        }
        return out;
    }
}
