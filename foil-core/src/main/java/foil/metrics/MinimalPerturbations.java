package foil.metrics;

import foil.FoilException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a minimal-perturbation attack (L-BFGS, C&W, DeepFool) says about a model: the distribution of the
 * smallest distortion it found per image, and the robust accuracy it implies at each budget eps.
 * <p>
 * The distribution is over the images the model classified correctly and on which the attack succeeded
 * (a wrong clean prediction needs no perturbation, and a failed attack found none): their median L2 and
 * L-inf norms and a histogram of each. The accuracy at eps is over all n images: the fraction classified
 * correctly whose smallest perturbation, in the attack's norm, is larger than eps; an image on which the
 * attack failed counts as robust at every eps. It is an upper bound on the true robust accuracy, as tight
 * as the attack is strong. The eps grid is the attack norm's histogram edges, so it starts at 0 (where it
 * equals the clean accuracy) and ends past the largest distortion (where only failed attacks remain).
 */
public record MinimalPerturbations(String norm, int n, int correct, int measured, double medianL2,
        double medianLinf, Histogram l2, Histogram linf, double[] eps, double[] accuracy) {

    public static final int BINS = 20;

    /** Equal-width bins from 0: {@code edges} has one more entry than {@code counts}. */
    public record Histogram(double[] edges, int[] counts) {

        /** {@code bins} bins from 0 to a round number at or above the largest value (1 when there is none). */
        public static Histogram of(double[] values, int bins) {
            double max = Arrays.stream(values).max().orElse(0);
            double top = roundUp(max);
            double[] edges = new double[bins + 1];
            for (int k = 0; k <= bins; k++) {
                edges[k] = top * k / bins;
            }
            int[] counts = new int[bins];
            for (double v : values) {
                int k = Arrays.binarySearch(edges, v); // the last edge at or below v
                counts[Math.min(bins - 1, k >= 0 ? k : -k - 2)]++;
            }
            return new Histogram(edges, counts);
        }

        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("edges", edges);
            m.put("counts", counts);
            return m;
        }
    }

    /**
     * From per-image results: whether the clean image was classified correctly, whether the attack reached
     * its goal, and the perturbation's L2 and L-inf norms; {@code norm} ("l2" or "linf") is the attack's.
     */
    public static MinimalPerturbations of(String norm, boolean[] cleanCorrect, boolean[] success, float[] l2,
            float[] linf) {
        int n = cleanCorrect.length;
        if (success.length != n || l2.length != n || linf.length != n) {
            throw new FoilException("minimal perturbations: " + n + " clean results but " + success.length
                    + " attack results and " + l2.length + "/" + linf.length + " norms");
        }
        if (!norm.equals("l2") && !norm.equals("linf")) {
            throw new FoilException("minimal perturbations are measured in l2 or linf, not " + norm);
        }
        List<Integer> found = new ArrayList<>();
        int correct = 0;
        for (int i = 0; i < n; i++) {
            correct += cleanCorrect[i] ? 1 : 0;
            if (cleanCorrect[i] && success[i]) {
                found.add(i);
            }
        }
        double[] foundL2 = found.stream().mapToDouble(i -> l2[i]).toArray();
        double[] foundLinf = found.stream().mapToDouble(i -> linf[i]).toArray();
        Histogram hl2 = Histogram.of(foundL2, BINS);
        Histogram hlinf = Histogram.of(foundLinf, BINS);
        double[] eps = (norm.equals("l2") ? hl2 : hlinf).edges();
        float[] size = norm.equals("l2") ? l2 : linf;
        double[] accuracy = new double[eps.length];
        for (int k = 0; k < eps.length; k++) {
            int robust = 0;
            for (int i = 0; i < n; i++) {
                robust += cleanCorrect[i] && (!success[i] || size[i] > eps[k]) ? 1 : 0;
            }
            accuracy[k] = n == 0 ? 0 : (double) robust / n;
        }
        return new MinimalPerturbations(norm, n, correct, found.size(), median(foundL2), median(foundLinf), hl2,
                hlinf, eps, accuracy);
    }

    /** The middle value (the mean of the two middle ones for an even count); NaN for none. */
    public static double median(double[] values) {
        if (values.length == 0) {
            return Double.NaN;
        }
        double[] s = values.clone();
        Arrays.sort(s);
        int h = s.length / 2;
        return s.length % 2 == 1 ? s[h] : (s[h - 1] + s[h]) / 2;
    }

    /** The smallest of 1, 2, 2.5 and 5 times a power of ten that is at least {@code v} (1 for v ≤ 0). */
    static double roundUp(double v) {
        if (!(v > 0) || !Double.isFinite(v)) {
            return 1;
        }
        double power = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) {
            if (step * power >= v * (1 - 1e-12)) {
                return step * power;
            }
        }
        return 10 * power;
    }

    /** The entries metrics.json holds (medians are null when no image was measured). */
    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("median_l2", measured == 0 ? null : medianL2);
        m.put("median_linf", measured == 0 ? null : medianLinf);
        m.put("minimal_over", "the " + measured + " images classified correctly on which the attack succeeded");
        m.put("l2_histogram", l2.toMap());
        m.put("linf_histogram", linf.toMap());
        List<Map<String, Object>> curve = new ArrayList<>();
        for (int k = 0; k < eps.length; k++) {
            Map<String, Object> point = new LinkedHashMap<>();
            point.put("eps", eps[k]);
            point.put("accuracy", accuracy[k]);
            curve.add(point);
        }
        m.put("accuracy_vs_eps", curve);
        m.put("accuracy_vs_eps_norm", norm);
        m.put("accuracy_vs_eps_over", "all " + n + " images: classified correctly and minimal " + norm
                + " perturbation larger than eps, or the attack failed");
        return m;
    }
}
