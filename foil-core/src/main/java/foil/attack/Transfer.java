package foil.attack;

import ai.djl.ndarray.NDManager;
import foil.Foil;
import foil.FoilException;
import foil.data.ImageDataset;
import foil.model.Classifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-model generalisation (Szegedy et al. 2014, section 4.2): adversarial examples crafted on each model
 * and classified by every model. Row = the model attacked, column = the model that classifies; the diagonal
 * is the white-box error, the rest is transfer.
 * <p>Every figure is over one population, the images attacked: all of them, or with a fixed target K those
 * whose label is not K. An error is an image the classifying model gets wrong on the clean image or on the
 * adversarial one, so error = 1 − robust accuracy as {@link AttackRun#COUNTING} counts it, the diagonal is
 * exactly {@code foil attack}'s figure and the clean row is the same count with no attack. Mean distortions are
 * {@code foil attack}'s: over the successful attacks on the images the attacked model classifies correctly.
 */
public final class Transfer {
    private Transfer() {}

    /** Error rates (fraction misclassified) of each column model on each row model's adversarial examples. */
    public record Matrix(List<String> models, String method, String norm, float eps, int n, String population,
            double[] cleanError, double[][] error, double[] meanL2, double[] meanRms) {

        public static final String ERROR = "wrong on the clean image or on the adversarial one (1 - robust accuracy, "
                + "RobustBench's count), over the population";
        public static final String NORMS_OVER = "successful attacks on the images the attacked model classifies "
                + "correctly (as foil attack)";

        /** Mean of the off-diagonal entries (transfer) and of the diagonal (white box). */
        public double meanTransferError() {
            double s = 0;
            int k = 0;
            for (int i = 0; i < error.length; i++) {
                for (int j = 0; j < error.length; j++) {
                    if (i != j) {
                        s += error[i][j];
                        k++;
                    }
                }
            }
            return k == 0 ? Double.NaN : s / k;
        }

        public Map<String, Object> metrics() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("method", method);
            m.put("norm", norm);
            m.put("eps", eps);
            m.put("n", n);
            m.put("population", population);
            m.put("error_counts", ERROR);
            m.put("models", models);
            m.put("clean_error", cleanError);
            m.put("error", error);
            m.put("rows", "model attacked (adversarial examples crafted on it)");
            m.put("columns", "model that classifies them");
            m.put("mean_l2", meanL2);
            m.put("mean_rms", meanRms);
            m.put("norms_over", NORMS_OVER);
            m.put("mean_transfer_error", meanTransferError());
            double clean = 0;
            for (double c : cleanError) {
                clean += c / cleanError.length;
            }
            m.put("mean_clean_error", clean);
            return m;
        }

        public String csv() {
            StringBuilder sb = new StringBuilder("attacked\\classified");
            for (String name : models) {
                sb.append(',').append(quote(name));
            }
            // the column's name says its population: a mean over all examples would read differently
            sb.append(",mean_l2_over_successful\nclean");
            for (double c : cleanError) {
                sb.append(',').append(c);
            }
            sb.append(",\n");
            for (int i = 0; i < error.length; i++) {
                sb.append(quote(models.get(i)));
                for (double e : error[i]) {
                    sb.append(',').append(e);
                }
                sb.append(',').append(meanL2[i]).append('\n');
            }
            return sb.toString();
        }

        private static String quote(String s) {
            return s.contains(",") || s.contains("\"") ? '"' + s.replace("\"", "\"\"") + '"' : s;
        }
    }

    /**
     * Attacks the images of {@code data} that {@code targeting} attacks on each model and classifies the results
     * with every model (see the class comment for what is counted). Models must take the data's image shape.
     */
    public static Matrix run(Attack attack, Targeting targeting, List<String> names, List<Classifier> models,
            ImageDataset data, int batch, long seed) {
        ImageDataset attacked = targeting.mode() == Targeting.Mode.FIXED
                ? data.withLabels(" (label not " + targeting.target() + ")", targeting::attacks) : data;
        if (attacked.size() == 0) {
            throw new FoilException("no image of " + data.name() + " has a label other than the target "
                    + targeting.target());
        }
        String population = attacked.size() + " images" + (attacked == data ? "" : " whose label is not the target "
                + targeting.target() + " (of " + data.size() + ")");
        int k = models.size();
        int[][] cleanPredictions = new int[k][];
        double[] clean = new double[k];
        for (int j = 0; j < k; j++) {
            cleanPredictions[j] = predictions(models.get(j), attacked, batch);
            clean[j] = wrongOnEither(attacked.labels(), cleanPredictions[j], cleanPredictions[j]);
        }
        double[][] error = new double[k][k];
        double[] l2 = new double[k];
        double[] rms = new double[k];
        for (int i = 0; i < k; i++) {
            // on all of data: the run leaves out the target's images itself, and seeds each image by its index in data
            AttackRun.Outcome o = AttackRun.run(attack, models.get(i), data, targeting, batch, seed, true);
            ImageDataset adversarial = new ImageDataset(data.name() + " adversarial on " + names.get(i), o.adversarial(),
                    o.labels(), data.channels(), data.height(), data.width(), data.numClasses());
            for (int j = 0; j < k; j++) {
                int[] onAdversarial = i == j ? o.adversarialPredictions() : predictions(models.get(j), adversarial, batch);
                error[i][j] = wrongOnEither(attacked.labels(), cleanPredictions[j], onAdversarial);
            }
            l2[i] = o.meanOverSuccess(o.l2());
            rms[i] = o.meanOverSuccess(o.rms());
        }
        return new Matrix(new ArrayList<>(names), attack.method(), attack.norm().cliName, attack.eps(), attacked.size(),
                population, clean, error, l2, rms);
    }

    /** The fraction of images a model gets wrong on the clean image or on the adversarial one. */
    static double wrongOnEither(int[] labels, int[] clean, int[] adversarial) {
        int wrong = 0;
        for (int i = 0; i < labels.length; i++) {
            wrong += clean[i] != labels[i] || adversarial[i] != labels[i] ? 1 : 0;
        }
        return labels.length == 0 ? 0 : (double) wrong / labels.length;
    }

    private static int[] predictions(Classifier model, ImageDataset data, int batch) {
        int[] out = new int[data.size()];
        try (NDManager root = NDManager.newBaseManager(Foil.device())) {
            for (int from = 0; from < data.size(); from += batch) {
                int to = Math.min(data.size(), from + batch);
                try (NDManager scope = root.newSubManager()) {
                    System.arraycopy(model.predict(data.images(scope, from, to)), 0, out, from, to - from);
                }
            }
        }
        return out;
    }
}
