package foil.attack;

import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.ClassifierTrainer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Cross-model generalisation (Szegedy et al. 2014, section 4.2): adversarial examples crafted on each model
 * and classified by every model. Row = the model attacked, column = the model that classifies; the diagonal
 * is the white-box error, the rest is transfer.
 */
public final class Transfer {
    private Transfer() {}

    /** Error rates (fraction misclassified) of each column model on each row model's adversarial examples. */
    public record Matrix(List<String> models, String method, String norm, float eps, int n, double[] cleanError,
            double[][] error, double[] meanL2, double[] meanRms) {

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
            m.put("models", models);
            m.put("clean_error", cleanError);
            m.put("error", error);
            m.put("rows", "model attacked (adversarial examples crafted on it)");
            m.put("columns", "model that classifies them");
            m.put("mean_l2", meanL2);
            m.put("mean_rms", meanRms);
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
            sb.append(",mean_l2\nclean");
            for (double c : cleanError) {
                sb.append(',').append(c);
            }
            sb.append(",0\n");
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
     * Attacks {@code data} on each model with {@code attack} (aiming as {@code targeting} says) and classifies
     * the results with every model; an error is any prediction other than the true label. Models must take the
     * data's image shape.
     */
    public static Matrix run(Attack attack, Targeting targeting, List<String> names, List<Classifier> models,
            ImageDataset data, int batch, long seed) {
        int k = models.size();
        double[] clean = new double[k];
        for (int j = 0; j < k; j++) {
            clean[j] = 1 - ClassifierTrainer.accuracy(models.get(j), data, batch);
        }
        double[][] error = new double[k][k];
        double[] l2 = new double[k];
        double[] rms = new double[k];
        for (int i = 0; i < k; i++) {
            AttackRun.Outcome o = AttackRun.run(attack, models.get(i), data, targeting, batch, seed, true);
            ImageDataset adversarial = new ImageDataset(data.name() + " adversarial on " + names.get(i), o.adversarial(),
                    o.labels(), data.channels(), data.height(), data.width(), data.numClasses());
            for (int j = 0; j < k; j++) {
                error[i][j] = i == j ? 1 - o.robustAccuracy()
                        : 1 - ClassifierTrainer.accuracy(models.get(j), adversarial, batch);
            }
            l2[i] = mean(o.l2());
            rms[i] = mean(o.rms());
        }
        return new Matrix(new ArrayList<>(names), attack.method(), attack.norm().cliName, attack.eps(), data.size(), clean,
                error, l2, rms);
    }

    private static double mean(float[] v) {
        double s = 0;
        for (float f : v) {
            s += f;
        }
        return v.length == 0 ? 0 : s / v.length;
    }
}
