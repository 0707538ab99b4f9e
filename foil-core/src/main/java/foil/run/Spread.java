package foil.run;

import java.util.Arrays;

/**
 * The median of repeated measurements with their range, so one benchmark figure means something on a shared
 * machine: {@code relative} is (max - min) / median.
 */
public record Spread(double median, double min, double max) {
    public static Spread of(double[] values) {
        if (values.length == 0) {
            throw new IllegalArgumentException("no measurements");
        }
        double[] v = values.clone();
        Arrays.sort(v);
        int n = v.length;
        double median = n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
        return new Spread(median, v[0], v[n - 1]);
    }

    public double relative() {
        return median == 0 ? 0 : (max - min) / median;
    }
}
