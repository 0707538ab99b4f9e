package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import java.util.Arrays;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.ejml.dense.row.factory.DecompositionFactory_DDRM;
import org.ejml.interfaces.decomposition.EigenDecomposition_F64;
import org.junit.jupiter.api.Test;

/** FID, KID and precision/recall/density/coverage against closed forms and brute force written here. */
class FeatureMetricsTest {
    private static float[][] gaussian(Random r, int n, int d, double shift, double scale) {
        float[][] x = new float[n][d];
        for (float[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = (float) (shift + scale * r.nextGaussian());
            }
        }
        return x;
    }

    private static double[][] randomPsd(Random r, int d, int rank) {
        double[][] a = new double[d][rank];
        for (double[] row : a) {
            for (int j = 0; j < rank; j++) {
                row[j] = r.nextGaussian();
            }
        }
        double[][] s = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                for (int t = 0; t < rank; t++) {
                    s[i][j] += a[i][t] * a[j][t];
                }
            }
        }
        return s;
    }

    /** tr sqrt(S1 S2) from the eigenvalues of the non-symmetric product: pytorch-fid's route, not Foil's. */
    private static double traceRootOfProduct(double[][] s1, double[][] s2) {
        DMatrixRMaj p = new DMatrixRMaj(s1.length, s1.length);
        CommonOps_DDRM.mult(new DMatrixRMaj(s1), new DMatrixRMaj(s2), p);
        EigenDecomposition_F64<DMatrixRMaj> eig = DecompositionFactory_DDRM.eig(s1.length, false, false);
        assertTrue(eig.decompose(p));
        double t = 0;
        for (int k = 0; k < s1.length; k++) {
            t += Math.sqrt(Math.max(0, eig.getEigenvalue(k).getReal()));
        }
        return t;
    }

    private static double fidByProduct(GaussianStats a, GaussianStats b) {
        double v = 0;
        for (int i = 0; i < a.dimension(); i++) {
            v += Math.pow(a.mu()[i] - b.mu()[i], 2) + a.sigma()[i][i] + b.sigma()[i][i];
        }
        return v - 2 * traceRootOfProduct(a.sigma(), b.sigma());
    }

    @Test
    void fidOfDiagonalGaussiansIsTheClosedForm() {
        Random r = new Random(1);
        int d = 12;
        double[] mu1 = new double[d];
        double[] mu2 = new double[d];
        double[][] s1 = new double[d][d];
        double[][] s2 = new double[d][d];
        double want = 0;
        for (int i = 0; i < d; i++) {
            mu1[i] = r.nextGaussian();
            mu2[i] = r.nextGaussian();
            s1[i][i] = 0.1 + r.nextDouble();
            s2[i][i] = 0.1 + 3 * r.nextDouble();
            want += Math.pow(mu1[i] - mu2[i], 2) + s1[i][i] + s2[i][i] - 2 * Math.sqrt(s1[i][i] * s2[i][i]);
        }
        double got = Fid.distance(new GaussianStats(mu1, s1, 100), new GaussianStats(mu2, s2, 100));
        assertEquals(want, got, 1e-9 * want);
    }

    @Test
    void fidEqualsPytorchFidsFormulaIncludingRankDeficientCovariances() {
        Random r = new Random(2);
        int d = 16;
        for (int rank : new int[] {16, 5}) {
            double[] mu1 = new double[d];
            double[] mu2 = new double[d];
            for (int i = 0; i < d; i++) {
                mu1[i] = r.nextGaussian();
                mu2[i] = 0.5 * r.nextGaussian();
            }
            GaussianStats a = new GaussianStats(mu1, randomPsd(r, d, rank), 50);
            GaussianStats b = new GaussianStats(mu2, randomPsd(r, d, rank), 50);
            double want = fidByProduct(a, b);
            assertEquals(want, Fid.distance(a, b), 1e-7 * Math.abs(want), "rank " + rank);
            assertEquals(0, Fid.distance(a, a), 1e-6 * d, "a Gaussian against itself, rank " + rank);
        }
        // from features: 10 vectors in 20 dimensions, a covariance of rank 9
        float[][] few = gaussian(r, 10, 20, 0, 1);
        GaussianStats s = GaussianStats.of(few);
        assertEquals(0, Fid.distance(s, s), 1e-6);
        GaussianStats other = GaussianStats.of(gaussian(r, 10, 20, 0.3, 2));
        double fid = Fid.distance(s, other);
        assertTrue(Double.isFinite(fid) && fid > 0, "fid " + fid);
        assertEquals(fidByProduct(s, other), fid, 1e-6 * fid);
    }

    @Test
    void statisticsAreTheMeanAndTheUnbiasedCovariance() {
        float[][] x = {{1, 2}, {3, 0}, {5, 7}};
        GaussianStats s = GaussianStats.of(x);
        assertEquals(3, s.mu()[0], 1e-12);
        assertEquals(3, s.mu()[1], 1e-12);
        // deviations (-2,-1), (0,-3), (2,4); sums of products over N - 1 = 2
        assertEquals((4 + 0 + 4) / 2.0, s.sigma()[0][0], 1e-12);
        assertEquals((2 + 0 + 8) / 2.0, s.sigma()[0][1], 1e-12);
        assertEquals((1 + 9 + 16) / 2.0, s.sigma()[1][1], 1e-12);
        assertThrows(FoilException.class, () -> GaussianStats.of(new float[][] {{1, 2}}));
        assertThrows(FoilException.class, () -> Fid.distance(s, GaussianStats.of(new float[][] {{1}, {2}})));
    }

    @Test
    void fidInfinityRemovesTheSmallSampleBias() {
        Random r = new Random(3);
        int d = 8;
        double[][] identity = new double[d][d];
        for (int i = 0; i < d; i++) {
            identity[i][i] = 1;
        }
        GaussianStats truth = new GaussianStats(new double[d], identity, Integer.MAX_VALUE);
        float[][] fake = gaussian(r, 4000, d, 0, 1);
        Fid.Extrapolation e = Fid.infinity(truth, fake, new int[] {200, 400, 1000, 2000, 4000}, 5);
        double atSmallest = e.fids()[0];
        assertTrue(atSmallest > 0.05, "FID of 200 samples from the same Gaussian is biased up: " + atSmallest);
        assertTrue(Math.abs(e.fidInfinity()) < 0.25 * atSmallest, "FID-infinity " + e.fidInfinity() + " against "
                + atSmallest + " at N = 200");
        assertTrue(e.slope() > 0);
    }

    @Test
    void kidIsTheUnbiasedMmdAndCanBeNegative() {
        Random r = new Random(4);
        float[][] x = gaussian(r, 7, 3, 0, 1);
        float[][] y = gaussian(r, 9, 3, 0.5, 1);
        // brute force: kernel matrices, diagonals left out
        double xx = 0;
        double yy = 0;
        double xy = 0;
        for (int i = 0; i < 7; i++) {
            for (int j = 0; j < 7; j++) {
                xx += i == j ? 0 : Math.pow(dot(x[i], x[j]) / 3 + 1, 3);
            }
        }
        for (int i = 0; i < 9; i++) {
            for (int j = 0; j < 9; j++) {
                yy += i == j ? 0 : Math.pow(dot(y[i], y[j]) / 3 + 1, 3);
            }
        }
        for (float[] a : x) {
            for (float[] b : y) {
                xy += Math.pow(dot(a, b) / 3 + 1, 3);
            }
        }
        double want = xx / 42 + yy / 72 - 2 * xy / 63;
        assertEquals(want, Kid.mmd2(x, y), 1e-10 * Math.abs(want));
        Kid.Result whole = Kid.of(x, y, 100, 1000, 0);
        assertEquals(want, whole.mean(), 1e-10 * Math.abs(want));
        assertEquals(1, whole.subsets());

        int draws = 300;
        double sum = 0;
        double sumSq = 0;
        int negative = 0;
        for (int t = 0; t < draws; t++) {
            double v = Kid.mmd2(gaussian(r, 40, 4, 0, 1), gaussian(r, 40, 4, 0, 1));
            sum += v;
            sumSq += v * v;
            negative += v < 0 ? 1 : 0;
        }
        double mean = sum / draws;
        double se = Math.sqrt((sumSq / draws - mean * mean) / draws);
        assertTrue(Math.abs(mean) < 3 * se, "mean " + mean + " over " + draws + " draws, standard error " + se);
        assertTrue(negative > draws / 10, negative + " negative estimates");
        assertTrue(Kid.of(gaussian(r, 300, 4, 0, 1), gaussian(r, 300, 4, 1, 1), 20, 100, 1).mean() > 20 * se);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static double dist(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += Math.pow(a[i] - b[i], 2);
        }
        return Math.sqrt(s);
    }

    /** The k-th nearest neighbour distance of p among others, p itself (at index self) left out. */
    private static double kth(float[][] set, int self, int k) {
        double[] d = new double[set.length - 1];
        for (int j = 0, t = 0; j < set.length; j++) {
            if (j != self) {
                d[t++] = dist(set[self], set[j]);
            }
        }
        Arrays.sort(d);
        return d[k - 1];
    }

    @Test
    void precisionRecallDensityCoverageMatchBruteForce() {
        Random r = new Random(5);
        float[][] real = gaussian(r, 60, 5, 0, 1);
        float[][] fake = gaussian(r, 45, 5, 0.4, 1.3);
        int k = 3;
        double[] rr = new double[real.length];
        double[] fr = new double[fake.length];
        for (int i = 0; i < real.length; i++) {
            rr[i] = kth(real, i, k);
        }
        for (int j = 0; j < fake.length; j++) {
            fr[j] = kth(fake, j, k);
        }
        double precision = 0;
        double density = 0;
        for (float[] f : fake) {
            boolean in = false;
            for (int i = 0; i < real.length; i++) {
                if (dist(f, real[i]) < rr[i]) {
                    in = true;
                    density++;
                }
            }
            precision += in ? 1 : 0;
        }
        double recall = 0;
        double coverage = 0;
        for (int i = 0; i < real.length; i++) {
            boolean recalled = false;
            boolean covered = false;
            for (int j = 0; j < fake.length; j++) {
                recalled |= dist(real[i], fake[j]) < fr[j];
                covered |= dist(real[i], fake[j]) < rr[i];
            }
            recall += recalled ? 1 : 0;
            coverage += covered ? 1 : 0;
        }
        Prdc got = Prdc.of(real, fake, k);
        assertEquals(precision / fake.length, got.precision(), 1e-12);
        assertEquals(recall / real.length, got.recall(), 1e-12);
        assertEquals(density / (k * fake.length), got.density(), 1e-12);
        assertEquals(coverage / real.length, got.coverage(), 1e-12);
        assertTrue(got.precision() > 0 && got.precision() < 1 && got.recall() > 0 && got.recall() < 1, got.toString());

        Prdc same = Prdc.of(real, real, k);
        assertEquals(1, same.precision());
        assertEquals(1, same.recall());
        assertEquals(1, same.coverage());
        assertThrows(FoilException.class, () -> Prdc.of(real, gaussian(r, 3, 5, 0, 1), k));
        assertThrows(FoilException.class, () -> Prdc.of(real, gaussian(r, 30, 4, 0, 1), k));
    }

    @Test
    void radiiAreTheKthOfTheSortedDistancesIncludingTies() {
        Random r = new Random(6);
        float[][] x = gaussian(r, 50, 70, 0, 1);
        x[7] = x[3].clone(); // a duplicate: a neighbour at distance 0
        x[8] = x[3].clone();
        for (int k : new int[] {1, 2, 5, 49}) {
            double[] got = Prdc.radii(x, k);
            for (int i = 0; i < x.length; i++) {
                double[] d = Prdc.distancesTo(x[i], x);
                Arrays.sort(d);
                assertEquals(d[k], got[i], 0.0, "k " + k + ", point " + i);
            }
        }
        assertEquals(0.0, Prdc.radii(x, 2)[3], 0.0, "two copies of point 3");
    }
}
