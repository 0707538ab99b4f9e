package foil.metrics;

import foil.FoilException;
import java.util.stream.IntStream;

/**
 * Precision and recall of Kynkäänniemi et al. (2019) and density and coverage of Naeem et al. (2020), from
 * k-nearest-neighbour balls in feature space (Euclidean), with the conventions of the reference {@code prdc}
 * code: a point's radius is the distance to its k-th nearest neighbour in its own set, itself excluded; a point
 * lies in a ball when its distance is strictly less than the radius.
 * <ul>
 * <li>precision: the fraction of fake points inside some real ball;
 * <li>recall: the fraction of real points inside some fake ball;
 * <li>density: the number of real balls holding each fake point, over k, averaged over fake points (can pass 1);
 * <li>coverage: the fraction of real points whose ball holds some fake point.
 * </ul>
 */
public record Prdc(double precision, double recall, double density, double coverage, int k) {

    public static Prdc of(float[][] real, float[][] fake, int k) {
        if (k < 1) {
            throw new FoilException("--k must be at least 1, not " + k);
        }
        if (real.length <= k || fake.length <= k) {
            throw new FoilException("precision/recall with k = " + k + " need more than " + k
                    + " feature vectors on each side (" + real.length + " and " + fake.length + ")");
        }
        if (real[0].length != fake[0].length) {
            throw new FoilException("features of different dimensions: " + real[0].length + " and " + fake[0].length);
        }
        double[] realRadius = radii(real, k);
        double[] fakeRadius = radii(fake, k);
        int[] realBallsHolding = new int[fake.length]; // per fake point
        boolean[] realCovered = new boolean[real.length];
        boolean[] realRecalled = new boolean[real.length];
        int chunk = 256; // rows of real-to-fake distances held at once
        for (int start = 0; start < real.length; start += chunk) {
            int from = start;
            double[][] rows = new double[Math.min(chunk, real.length - start)][];
            IntStream.range(0, rows.length).parallel().forEach(r -> rows[r] = distancesTo(real[from + r], fake));
            for (int r = 0; r < rows.length; r++) {
                int i = from + r;
                double[] row = rows[r];
                double nearest = Double.POSITIVE_INFINITY;
                for (int j = 0; j < fake.length; j++) {
                    double dist = row[j];
                    if (dist < realRadius[i]) {
                        realBallsHolding[j]++;
                    }
                    if (dist < fakeRadius[j]) {
                        realRecalled[i] = true;
                    }
                    nearest = Math.min(nearest, dist);
                }
                realCovered[i] = nearest < realRadius[i];
            }
        }
        double precision = 0;
        double density = 0;
        for (int c : realBallsHolding) {
            precision += c > 0 ? 1 : 0;
            density += c;
        }
        return new Prdc(precision / fake.length, count(realRecalled) / real.length,
                density / ((double) k * fake.length), count(realCovered) / real.length, k);
    }

    /** Each point's distance to its k-th nearest neighbour in its own set, itself excluded. */
    static double[] radii(float[][] points, int k) {
        double[] out = new double[points.length];
        IntStream.range(0, points.length).parallel().forEach(i -> out[i] = Math.sqrt(kthSquared(points[i], points,
                k + 1)));
        return out;
    }

    /**
     * The {@code m}-th smallest squared distance from {@code p} to {@code points} (with p itself among them at 0,
     * m = k + 1 gives its k-th neighbour), from a max-heap of the m smallest: the same double as sorting them.
     */
    static double kthSquared(float[] p, float[][] points, int m) {
        double[] heap = new double[m]; // heap[0] the largest of the m smallest so far
        int size = 0;
        for (float[] q : points) {
            double s = squaredDistance(p, q);
            if (size < m) { // sift up
                int c = size++;
                while (c > 0 && heap[(c - 1) / 2] < s) {
                    heap[c] = heap[(c - 1) / 2];
                    c = (c - 1) / 2;
                }
                heap[c] = s;
            } else if (s < heap[0]) { // replace the largest, sift down
                int c = 0;
                while (2 * c + 1 < m) {
                    int child = 2 * c + 1;
                    if (child + 1 < m && heap[child + 1] > heap[child]) {
                        child++;
                    }
                    if (heap[child] <= s) {
                        break;
                    }
                    heap[c] = heap[child];
                    c = child;
                }
                heap[c] = s;
            }
        }
        return heap[0];
    }

    static double[] distancesTo(float[] p, float[][] others) {
        double[] out = new double[others.length];
        for (int j = 0; j < others.length; j++) {
            out[j] = Math.sqrt(squaredDistance(p, others[j]));
        }
        return out;
    }

    private static double squaredDistance(float[] p, float[] q) {
        double s = 0;
        for (int t = 0; t < p.length; t++) {
            double diff = (double) p[t] - q[t];
            s += diff * diff;
        }
        return s;
    }

    private static double count(boolean[] flags) {
        int c = 0;
        for (boolean f : flags) {
            c += f ? 1 : 0;
        }
        return c;
    }
}
