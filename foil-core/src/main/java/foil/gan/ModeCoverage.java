package foil.gan;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * PacGAN's measures of mode collapse and mode dropping (Lin et al. 2018): a sample is of high quality when it
 * lies within 3 standard deviations of its nearest mode; a mode is covered when it is the nearest mode of at
 * least one high-quality sample. Also the distribution of high-quality samples over modes.
 */
public record ModeCoverage(int modesCovered, int modesTotal, double highQualityFraction, int[] samplesPerMode,
        int samples) {

    public static ModeCoverage of(Mixture mixture, float[] xy) {
        int n = xy.length / 2;
        int[] counts = new int[mixture.modes()];
        int good = 0;
        double limit = 3 * mixture.std();
        for (int i = 0; i < n; i++) {
            int nearest = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int k = 0; k < mixture.modes(); k++) {
                double d = Math.hypot(xy[2 * i] - mixture.means()[k][0], xy[2 * i + 1] - mixture.means()[k][1]);
                if (d < best) {
                    best = d;
                    nearest = k;
                }
            }
            if (best <= limit) {
                good++;
                counts[nearest]++;
            }
        }
        int covered = 0;
        for (int c : counts) {
            covered += c > 0 ? 1 : 0;
        }
        return new ModeCoverage(covered, mixture.modes(), n == 0 ? 0 : (double) good / n, counts, n);
    }

    /**
     * PacGAN's third measure: the reverse KL divergence KL(p || u) of the distribution p of high-quality samples
     * over the modes from the uniform one (the mixtures weigh their modes equally); 0 when every mode gets its
     * share, log(modes) when one mode takes all, NaN without high-quality samples. Starved modes show here even
     * when each still holds a sample or two.
     */
    public double modeKl() {
        long total = 0;
        for (int c : samplesPerMode) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        double kl = 0;
        for (int c : samplesPerMode) {
            if (c > 0) {
                double p = (double) c / total;
                kl += p * Math.log(p * modesTotal);
            }
        }
        return kl;
    }

    public Map<String, Object> metrics() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("modes_covered", modesCovered);
        m.put("modes_total", modesTotal);
        m.put("high_quality_fraction", highQualityFraction);
        m.put("mode_kl", modeKl());
        m.put("samples_per_mode", samplesPerMode);
        m.put("samples", samples);
        return m;
    }
}
