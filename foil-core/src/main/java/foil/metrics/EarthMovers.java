package foil.metrics;

import foil.FoilException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * The earth mover's distance between two discrete distributions (weights on points): the least cost of
 * moving one onto the other, exactly, as the optimum of the transport linear program, with its plan.
 * Weights are normalised to sum to 1 on each side. In one dimension, and for a ground cost convex in
 * |x - y|, the monotone (quantile) coupling is optimal: {@link #oneDimensional} gives it in closed form.
 */
public final class EarthMovers {
    private EarthMovers() {}

    /** Ground costs between points. */
    public enum Cost {
        EUCLIDEAN("euclidean"),
        SQEUCLIDEAN("sqeuclidean"),
        ABS("abs");

        public final String cliName;

        Cost(String cliName) {
            this.cliName = cliName;
        }

        public static Cost of(String name) {
            return foil.CliNames.lookup(values(), c -> c.cliName, name, "cost");
        }

        /** The cost between two points; abs is the L1 (city-block) distance, |i - j| in one dimension. */
        public double between(double[] x, double[] y) {
            double s = 0;
            for (int k = 0; k < x.length; k++) {
                double d = x[k] - y[k];
                s += this == ABS ? Math.abs(d) : d * d;
            }
            return this == EUCLIDEAN ? Math.sqrt(s) : s;
        }
    }

    /** One entry of a transport plan: mass moved from source point i to target point j. */
    public record Move(int from, int to, double mass) {}

    /** The distance, the plan, and how the solver got there. */
    public record Result(double distance, List<Move> plan, long pivots) {}

    /** Exact EMD between weighted point sets with a ground cost. */
    public static Result distance(double[] a, double[][] x, double[] b, double[][] y, Cost cost) {
        check(a, x, "first");
        check(b, y, "second");
        if (x[0].length != y[0].length) {
            throw new FoilException("the two point sets have different dimensions (" + x[0].length + " and "
                    + y[0].length + ")");
        }
        double[] c = new double[a.length * b.length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < b.length; j++) {
                c[i * b.length + j] = cost.between(x[i], y[j]);
            }
        }
        return solve(a, b, c);
    }

    /** Exact transport between weights {@code a} and {@code b} (normalised here) for an n×m cost matrix. */
    public static Result solve(double[] a, double[] b, double[] costMatrix) {
        if (costMatrix.length != (long) a.length * b.length) {
            throw new IllegalArgumentException("cost matrix must be " + a.length + "x" + b.length);
        }
        double[] pa = normalise(a, "first");
        double[] pb = normalise(b, "second");
        TransportSimplex simplex = new TransportSimplex(pa, pb, costMatrix);
        simplex.solve();
        List<Move> plan = new ArrayList<>();
        double total = 0;
        for (int i = 0; i < pa.length; i++) {
            for (int j = 0; j < pb.length; j++) {
                double f = simplex.flow(i, j);
                if (f > 1e-15) {
                    plan.add(new Move(i, j, f));
                    total += f * costMatrix[i * pb.length + j];
                }
            }
        }
        return new Result(total, plan, simplex.pivots());
    }

    /**
     * The closed form in one dimension: the monotone coupling of the sorted supports, optimal for any cost
     * convex in |x - y| (abs gives W1 = ∫|F - G|, sqeuclidean gives W2²).
     */
    public static Result oneDimensional(double[] a, double[] x, double[] b, double[] y, Cost cost) {
        double[] pa = normalise(a, "first");
        double[] pb = normalise(b, "second");
        Integer[] ia = order(x);
        Integer[] ib = order(y);
        List<Move> plan = new ArrayList<>();
        double total = 0;
        int i = 0;
        int j = 0;
        double ra = pa[ia[0]];
        double rb = pb[ib[0]];
        while (i < ia.length && j < ib.length) {
            double moved = Math.min(ra, rb);
            if (moved > 0) {
                plan.add(new Move(ia[i], ib[j], moved));
                double d = Math.abs(x[ia[i]] - y[ib[j]]);
                total += moved * (cost == Cost.SQEUCLIDEAN ? d * d : d);
            }
            ra -= moved;
            rb -= moved;
            if (ra <= 1e-15 && ++i < ia.length) {
                ra = pa[ia[i]];
            }
            if (rb <= 1e-15 && ++j < ib.length) {
                rb = pb[ib[j]];
            }
            if (ra <= 1e-15 && i >= ia.length || rb <= 1e-15 && j >= ib.length) {
                break;
            }
        }
        return new Result(total, plan, 0);
    }

    /** W1 between two equally weighted samples in one dimension: mean |x_(k) - y_(k)| for equal sizes. */
    public static double samples1d(double[] x, double[] y) {
        double[] ones = new double[x.length];
        double[] onesY = new double[y.length];
        Arrays.fill(ones, 1);
        Arrays.fill(onesY, 1);
        return oneDimensional(ones, x, onesY, y, Cost.ABS).distance();
    }

    private static Integer[] order(double[] v) {
        Integer[] idx = new Integer[v.length];
        for (int k = 0; k < v.length; k++) {
            idx[k] = k;
        }
        Arrays.sort(idx, Comparator.comparingDouble(k -> v[k]));
        return idx;
    }

    private static void check(double[] w, double[][] points, String which) {
        if (w.length == 0 || points.length != w.length) {
            throw new FoilException("the " + which + " distribution needs one weight per point and at least one point");
        }
        for (double[] p : points) {
            if (p.length != points[0].length) {
                throw new FoilException("the " + which + " distribution's points have different dimensions");
            }
            for (double v : p) {
                if (!Double.isFinite(v)) {
                    throw new FoilException("the " + which + " distribution has a coordinate that is not finite");
                }
            }
        }
    }

    static double[] normalise(double[] w, String which) {
        double sum = 0;
        for (double v : w) {
            if (!(v >= 0) || !Double.isFinite(v)) {
                throw new FoilException("the " + which + " distribution has a weight that is negative or not finite: "
                        + v);
            }
            sum += v;
        }
        if (!(sum > 0)) {
            throw new FoilException("the " + which + " distribution's weights sum to zero: give positive weights");
        }
        double[] out = new double[w.length];
        for (int k = 0; k < w.length; k++) {
            out[k] = w[k] / sum;
        }
        return out;
    }
}
