package foil.metrics;

import foil.FoilException;
import java.util.Arrays;

/**
 * The receiver operating characteristic of a score that should be higher for positives than for negatives:
 * the curve (false-positive rate, true-positive rate) over every threshold, its area, and the true-positive
 * rate at a given false-positive rate. A sample is called positive when its score is at least the threshold.
 * Ties count half in the area (the Mann-Whitney statistic), so a score that cannot separate gives 0.5.
 */
public final class Roc {
    private final double[] positives;
    private final double[] negatives;
    private final double[] fpr;
    private final double[] tpr;
    private final double[] thresholds;

    public Roc(double[] positives, double[] negatives) {
        if (positives.length == 0 || negatives.length == 0) {
            throw new FoilException("a ROC curve needs positives and negatives; got " + positives.length + " and "
                    + negatives.length);
        }
        for (double[] s : new double[][] {positives, negatives}) {
            for (double v : s) {
                if (Double.isNaN(v)) {
                    throw new FoilException("a score is NaN: the ROC curve is undefined");
                }
            }
        }
        this.positives = positives.clone();
        this.negatives = negatives.clone();
        Arrays.sort(this.positives);
        Arrays.sort(this.negatives);
        double[] all = new double[positives.length + negatives.length];
        System.arraycopy(positives, 0, all, 0, positives.length);
        System.arraycopy(negatives, 0, all, positives.length, negatives.length);
        double[] distinct = Arrays.stream(all).sorted().distinct().toArray();
        int points = distinct.length + 1;
        fpr = new double[points];
        tpr = new double[points];
        thresholds = new double[points];
        thresholds[0] = Double.POSITIVE_INFINITY; // nothing called positive: (0, 0)
        for (int i = 1; i < points; i++) {
            double t = distinct[distinct.length - i]; // descending thresholds
            thresholds[i] = t;
            tpr[i] = atLeast(this.positives, t) / (double) positives.length;
            fpr[i] = atLeast(this.negatives, t) / (double) negatives.length;
        }
    }

    /** How many of the sorted {@code s} are ≥ t. */
    private static int atLeast(double[] sorted, double t) {
        int lo = 0;
        int hi = sorted.length;
        while (lo < hi) { // first index with sorted[i] >= t
            int mid = (lo + hi) >>> 1;
            if (sorted[mid] < t) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return sorted.length - lo;
    }

    /** Area under the curve: P(score of a positive > score of a negative) + ½ P(equal). */
    public double auc() {
        double area = 0;
        for (int i = 1; i < fpr.length; i++) { // trapezoids: exactly the Mann-Whitney statistic with ties
            area += (fpr[i] - fpr[i - 1]) * (tpr[i] + tpr[i - 1]) / 2;
        }
        return area;
    }

    /** The highest true-positive rate among thresholds whose false-positive rate is at most {@code maxFpr}. */
    public double tprAtFpr(double maxFpr) {
        double best = 0;
        for (int i = 0; i < fpr.length; i++) {
            if (fpr[i] <= maxFpr + 1e-12) {
                best = Math.max(best, tpr[i]);
            }
        }
        return best;
    }

    /**
     * The lowest threshold whose false-positive rate is at most {@code maxFpr}: fixed on one split, then applied
     * to another.
     */
    public double thresholdAtFpr(double maxFpr) {
        double t = Double.POSITIVE_INFINITY;
        for (int i = 0; i < fpr.length; i++) {
            if (fpr[i] <= maxFpr + 1e-12) {
                t = Math.min(t, thresholds[i]);
            }
        }
        return t;
    }

    /** The fraction of {@code scores} at or above {@code threshold}. */
    public static double rateAtLeast(double[] scores, double threshold) {
        int c = 0;
        for (double s : scores) {
            c += s >= threshold ? 1 : 0;
        }
        return scores.length == 0 ? 0 : c / (double) scores.length;
    }

    public double[] fpr() {
        return fpr.clone();
    }

    public double[] tpr() {
        return tpr.clone();
    }
}
