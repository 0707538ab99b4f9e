package foil.attack;

/**
 * The projections of FAB (Croce and Hein 2020), per image, as the reference's {@code projection_linf} and
 * {@code projection_l2}: the smallest step d (in the norm) such that t + d lies on the hyperplane w·z = b and
 * in the box [0, 1]ⁿ, or, where the box cannot reach the hyperplane, the box's corner nearest to it.
 */
final class FabProjection {
    private FabProjection() {}

    /** The reference's cap on the ratios of the L2 projection, which stands for "never". */
    private static final double BIG = 1e12;

    static double[] project(Norm norm, double[] t, double[] w, double b) {
        return norm == Norm.LINF ? linf(t, w, b) : l2(t, w, b);
    }

    /** The L-inf projection of {@code t} onto {w·z = b} within [0, 1]ⁿ. */
    static double[] linf(double[] t, double[] wIn, double bIn) {
        int n = t.length;
        double[] w = wIn.clone();
        double sign = dot(w, t) - bIn >= 0 ? 1 : -1;
        for (int i = 0; i < n; i++) {
            w[i] *= sign;
        }
        double[] a = new double[n];
        double[] d = new double[n];
        double[] p = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = w[i] < 0 ? 1 : 0;
            d[i] = w[i] != 0 ? a[i] - t[i] : 0;
            p[i] = a[i] - t[i] * (2 * a[i] - 1);
        }
        int[] indp = argsort(p);
        double b = bIn * sign - dot(w, t);
        double b0 = dot(w, d);
        double[] s = new double[n];
        double[] sb = new double[n];
        double cs = 0;
        double csb = b0;
        for (int k = 0; k < n; k++) {
            int j = indp[n - 1 - k]; // p descending
            cs += Math.abs(w[j]);
            csb += -w[j] * d[j];
            s[k] = cs;
            sb[k] = csb;
        }
        double b2 = sb[n - 1] - s[n - 1] * p[indp[0]];
        boolean cl = b - b2 > 0;
        boolean c2 = b - b0 > 0 && !cl;
        if (cl) {
            double lambda = Math.max((b - sb[n - 1]) / -s[n - 1], 0);
            for (int i = 0; i < n; i++) {
                d[i] = (2 * a[i] - 1) * lambda;
            }
        } else if (c2) {
            int lb = 0;
            int ub = n - 1;
            for (int it = 0, iters = ceilLog2(n); it < iters; it++) {
                int mid = (lb + ub) / 2;
                double bm = sb[mid] - s[mid] * p[indp[n - 1 - mid]];
                if (b - bm > 0) {
                    lb = mid;
                } else {
                    ub = mid;
                }
            }
            double lambda = Math.max((b - sb[lb]) / -s[lb], 0);
            for (int i = 0; i < n; i++) {
                d[i] = a[i] == 1 ? Math.min(lambda, d[i]) : Math.max(-lambda, d[i]);
            }
        }
        for (int i = 0; i < n; i++) {
            if (w[i] == 0) {
                d[i] = 0;
            }
        }
        return d;
    }

    /** The L2 projection of {@code t} onto {w·z = b} within [0, 1]ⁿ. */
    static double[] l2(double[] t, double[] wIn, double b) {
        int n = t.length;
        double[] w = wIn.clone();
        double c = dot(w, t) - b;
        double sign = c >= 0 ? 1 : -1;
        c *= sign;
        double[] r = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            w[i] *= sign;
            if (Math.abs(w[i]) < 1e-8) {
                r[i] = BIG;
            } else {
                double v = Math.max(Math.min(Math.max(t[i] / w[i], (t[i] - 1) / w[i]), BIG), -BIG);
                r[i] = v == -BIG ? BIG : v;
                d[i] = -r[i] * w[i];
            }
        }
        int[] indr = argsort(r);
        double[] rs = new double[n];
        double[] rs2 = new double[n];
        double w5 = 0;
        for (int i = 0; i < n; i++) {
            w5 += w[i] * w[i];
        }
        for (int k = 0; k < n; k++) {
            rs[k] = r[indr[k]] == BIG ? 0 : r[indr[k]];
            double next = k + 1 < n ? r[indr[k + 1]] : 0;
            rs2[k] = next == BIG ? 0 : next;
        }
        double[] ws = new double[n];
        double cum = 0;
        for (int k = 0; k < n; k++) {
            double wk = w[indr[k]];
            cum += wk * wk;
            ws[k] = w5 - cum;
        }
        double[] s = new double[n + 1];
        s[0] = -w5 * rs[0];
        double cs = 0;
        for (int k = 0; k < n; k++) {
            cs += (rs[k] - rs2[k]) * ws[k];
            s[k + 1] = cs - w5 * rs[0];
        }
        boolean c4 = s[0] + c < 0;
        boolean c3 = dot(d, w) + c > 0;
        if (c4) {
            double alpha = w5 == 0 ? 0 : c / w5;
            for (int i = 0; i < n; i++) {
                d[i] = -alpha * w[i];
            }
        } else if (!c3) {
            int lb = 0;
            int ub = n - 1;
            for (int it = 0, iters = ceilLog2(n); it < iters; it++) {
                int mid = (lb + ub) / 2;
                if (s[mid] + c > 0) {
                    lb = mid;
                } else {
                    ub = mid;
                }
            }
            double alpha = ws[lb] == 0 ? 0 : (s[lb] + c) / ws[lb] + rs[lb];
            for (int i = 0; i < n; i++) {
                if (!(alpha > r[i])) {
                    d[i] = -alpha * w[i];
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (Math.abs(w[i]) <= 1e-8) {
                d[i] = 0;
            }
        }
        return d;
    }

    static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    private static int ceilLog2(int n) {
        return n <= 1 ? 0 : 32 - Integer.numberOfLeadingZeros(n - 1);
    }

    /** The indices that sort {@code v} ascending (stable). */
    private static int[] argsort(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (i, j) -> Double.compare(v[i], v[j]));
        int[] out = new int[idx.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = idx[i];
        }
        return out;
    }
}
