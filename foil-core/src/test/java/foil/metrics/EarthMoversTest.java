package foil.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EarthMoversTest {

    /**
     * An independent solution: the transport linear program in equality form solved by a dense two-phase
     * tableau simplex with Bland's rule (no network structure, no shared code).
     */
    static double linearProgram(double[] a, double[] b, double[] c) {
        int n = a.length;
        int m = b.length;
        int vars = n * m;
        int rows = n + m;
        int cols = vars + rows + 1; // structural, artificial, right-hand side
        double[][] t = new double[rows + 1][cols];
        int[] basis = new int[rows];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < m; j++) {
                t[i][i * m + j] = 1;
                t[n + j][i * m + j] = 1;
            }
        }
        for (int r = 0; r < rows; r++) {
            t[r][vars + r] = 1;
            t[r][cols - 1] = r < n ? a[r] : b[r - n];
            basis[r] = vars + r;
        }
        // phase 1: minimise the sum of artificials
        double[] phase1 = new double[cols];
        for (int r = 0; r < rows; r++) {
            phase1[vars + r] = 1;
        }
        run(t, basis, phase1, cols, cols - 1);
        // phase 2: the real costs; artificials may not enter
        double[] phase2 = new double[cols];
        System.arraycopy(c, 0, phase2, 0, vars);
        run(t, basis, phase2, cols, vars);
        double total = 0;
        for (int r = 0; r < rows; r++) {
            if (basis[r] < vars) {
                total += c[basis[r]] * t[r][cols - 1];
            }
        }
        return total;
    }

    private static void run(double[][] t, int[] basis, double[] cost, int cols, int enterLimit) {
        int rows = basis.length;
        for (int iter = 0; iter < 100_000; iter++) {
            int enter = -1;
            for (int k = 0; k < enterLimit && enter < 0; k++) {
                double reduced = cost[k];
                for (int r = 0; r < rows; r++) {
                    reduced -= cost[basis[r]] * t[r][k];
                }
                if (reduced < -1e-12) {
                    enter = k;
                }
            }
            if (enter < 0) {
                return;
            }
            int leave = -1;
            double best = Double.POSITIVE_INFINITY;
            for (int r = 0; r < rows; r++) {
                if (t[r][enter] > 1e-12) {
                    double ratio = t[r][cols - 1] / t[r][enter];
                    if (ratio < best - 1e-15 || (Math.abs(ratio - best) <= 1e-15 && basis[r] < basis[leave])) {
                        best = ratio;
                        leave = r;
                    }
                }
            }
            double p = t[leave][enter];
            for (int k = 0; k < cols; k++) {
                t[leave][k] /= p;
            }
            for (int r = 0; r < rows; r++) {
                if (r != leave && t[r][enter] != 0) {
                    double f = t[r][enter];
                    for (int k = 0; k < cols; k++) {
                        t[r][k] -= f * t[leave][k];
                    }
                }
            }
            basis[leave] = enter;
        }
        throw new IllegalStateException("simplex did not finish");
    }

    @Test
    void agreesWithAnIndependentLinearProgramOnRandomProblems() {
        Random r = new Random(11);
        for (int trial = 0; trial < 200; trial++) {
            int n = 1 + r.nextInt(6);
            int m = 1 + r.nextInt(6);
            double[] a = new double[n];
            double[] b = new double[m];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextInt(4) == 0 ? 0 : r.nextDouble();
            }
            for (int j = 0; j < m; j++) {
                b[j] = 0.05 + r.nextDouble();
            }
            a[r.nextInt(n)] += 0.1;
            double[] c = new double[n * m];
            for (int k = 0; k < c.length; k++) {
                c[k] = trial % 3 == 0 ? r.nextInt(5) : r.nextDouble() * 10; // ties and degeneracy too
            }
            double[] pa = EarthMovers.normalise(a, "a");
            double[] pb = EarthMovers.normalise(b, "b");
            EarthMovers.Result got = EarthMovers.solve(a, b, c);
            assertEquals(linearProgram(pa, pb, c), got.distance(), 1e-6, "trial " + trial);
            double[] rowSum = new double[n];
            double[] colSum = new double[m];
            for (EarthMovers.Move mv : got.plan()) {
                assertTrue(mv.mass() > 0);
                rowSum[mv.from()] += mv.mass();
                colSum[mv.to()] += mv.mass();
            }
            for (int i = 0; i < n; i++) {
                assertEquals(pa[i], rowSum[i], 1e-9, "plan moves each source's mass");
            }
            for (int j = 0; j < m; j++) {
                assertEquals(pb[j], colSum[j], 1e-9, "plan fills each demand");
            }
        }
    }

    @Test
    void agreesWithTheOneDimensionalClosedForm() {
        Random r = new Random(5);
        for (int trial = 0; trial < 50; trial++) {
            int n = 1 + r.nextInt(40);
            int m = 1 + r.nextInt(40);
            double[] a = new double[n];
            double[] x = new double[n];
            double[][] xp = new double[n][1];
            double[] b = new double[m];
            double[] y = new double[m];
            double[][] yp = new double[m][1];
            for (int i = 0; i < n; i++) {
                a[i] = r.nextDouble();
                x[i] = r.nextGaussian();
                xp[i][0] = x[i];
            }
            for (int j = 0; j < m; j++) {
                b[j] = r.nextDouble();
                y[j] = 1 + 2 * r.nextGaussian();
                yp[j][0] = y[j];
            }
            for (EarthMovers.Cost cost : new EarthMovers.Cost[] {EarthMovers.Cost.ABS, EarthMovers.Cost.SQEUCLIDEAN}) {
                double exact = EarthMovers.distance(a, xp, b, yp, cost).distance();
                double closed = EarthMovers.oneDimensional(a, x, b, y, cost).distance();
                assertEquals(closed, exact, 1e-9, cost + " trial " + trial);
            }
            // W1 = ∫ |F(t) - G(t)| dt, computed independently from the two CDFs
            assertEquals(cdfDistance(a, x, b, y), EarthMovers.oneDimensional(a, x, b, y, EarthMovers.Cost.ABS).distance(),
                    1e-9);
        }
    }

    private static double cdfDistance(double[] a, double[] x, double[] b, double[] y) {
        double[] pa = EarthMovers.normalise(a, "a");
        double[] pb = EarthMovers.normalise(b, "b");
        double[] all = new double[x.length + y.length];
        System.arraycopy(x, 0, all, 0, x.length);
        System.arraycopy(y, 0, all, x.length, y.length);
        java.util.Arrays.sort(all);
        double total = 0;
        for (int k = 0; k + 1 < all.length; k++) {
            double f = 0;
            double g = 0;
            for (int i = 0; i < x.length; i++) {
                f += x[i] <= all[k] ? pa[i] : 0;
            }
            for (int j = 0; j < y.length; j++) {
                g += y[j] <= all[k] ? pb[j] : 0;
            }
            total += Math.abs(f - g) * (all[k + 1] - all[k]);
        }
        return total;
    }

    @Test
    void knownValues() {
        // moving a point mass by 3 costs 3; a shifted uniform sample costs the shift
        assertEquals(3.0, EarthMovers.distance(new double[] {1}, new double[][] {{0, 0}}, new double[] {1},
                new double[][] {{3, 0}}, EarthMovers.Cost.EUCLIDEAN).distance(), 1e-12);
        assertEquals(0.5, EarthMovers.samples1d(new double[] {0, 1, 2}, new double[] {0.5, 1.5, 2.5}), 1e-12);
        assertThrows(FoilException.class, () -> EarthMovers.solve(new double[] {-1}, new double[] {1}, new double[] {0}));
    }

    @Test
    void staysExactOnAThousandPointsASide() {
        Random r = new Random(3);
        int n = 1000;
        double[] a = new double[n];
        double[] b = new double[n];
        double[] x = new double[n];
        double[] y = new double[n];
        double[][] xp = new double[n][1];
        double[][] yp = new double[n][1];
        for (int i = 0; i < n; i++) {
            a[i] = 0.5 + r.nextDouble();
            b[i] = 0.5 + r.nextDouble();
            x[i] = r.nextGaussian();
            y[i] = r.nextGaussian() * 0.5 + 1;
            xp[i][0] = x[i];
            yp[i][0] = y[i];
        }
        assertEquals(EarthMovers.oneDimensional(a, x, b, y, EarthMovers.Cost.SQEUCLIDEAN).distance(),
                EarthMovers.distance(a, xp, b, yp, EarthMovers.Cost.SQEUCLIDEAN).distance(), 1e-8);
    }
}
