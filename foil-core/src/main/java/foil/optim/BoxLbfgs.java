package foil.optim;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;

/**
 * Limited-memory BFGS for many independent problems at once, each minimising a smooth function over the
 * box [lo, hi]ⁿ. Every problem keeps its own curvature pairs; the function values and gradients of all
 * problems still running are asked for in one batch, so a neural network evaluates them together.
 *
 * <p>Bounds are handled as in projected quasi-Newton methods: coordinates held at a bound by the gradient
 * are frozen for the step, the L-BFGS direction is computed on the free ones, and the step is projected on
 * the box with a backtracking (Armijo) line search along the projected path.
 */
public final class BoxLbfgs {

    /** Evaluates f and its gradient for the problems {@code which} at {@code points}. */
    public interface Objective {
        void evaluate(int[] which, float[][] points, double[] values, float[][] gradients);
    }

    private final float lo;
    private final float hi;
    private final int memory;
    private final int maxIterations;

    public BoxLbfgs(float lo, float hi, int memory, int maxIterations) {
        this.lo = lo;
        this.hi = hi;
        this.memory = memory;
        this.maxIterations = maxIterations;
    }

    private static final class State {
        float[] z;
        double f;
        float[] g;
        final Deque<float[][]> pairs = new ArrayDeque<>(); // {s, y}
        final Deque<Double> rhos = new ArrayDeque<>();
        boolean done;
        float[] d;
        double t;
        float[] trial;
    }

    /** Minimises from {@code start} (each row one problem, inside the box); returns the minimisers. */
    public float[][] minimize(float[][] start, Objective objective) {
        int k = start.length;
        State[] states = new State[k];
        int[] all = new int[k];
        float[][] points = new float[k][];
        for (int i = 0; i < k; i++) {
            states[i] = new State();
            states[i].z = clipCopy(start[i]);
            all[i] = i;
            points[i] = states[i].z;
        }
        double[] f0 = new double[k];
        float[][] g0 = new float[k][];
        objective.evaluate(all, points, f0, g0);
        for (int i = 0; i < k; i++) {
            states[i].f = f0[i];
            states[i].g = g0[i];
        }
        for (int it = 0; it < maxIterations; it++) {
            int running = 0;
            for (State s : states) {
                if (!s.done) {
                    s.d = direction(s);
                    if (s.d == null) {
                        s.done = true;
                    } else {
                        s.t = 1.0;
                        running++;
                    }
                }
            }
            if (running == 0) {
                break;
            }
            lineSearch(states, objective);
        }
        float[][] out = new float[k][];
        for (int i = 0; i < k; i++) {
            out[i] = states[i].z;
        }
        return out;
    }

    private void lineSearch(State[] states, Objective objective) {
        boolean[] pending = new boolean[states.length];
        for (int i = 0; i < states.length; i++) {
            pending[i] = !states[i].done;
        }
        for (int round = 0; round < 20; round++) {
            int count = 0;
            for (boolean p : pending) {
                count += p ? 1 : 0;
            }
            if (count == 0) {
                return;
            }
            int[] which = new int[count];
            float[][] trials = new float[count][];
            int j = 0;
            for (int i = 0; i < states.length; i++) {
                if (pending[i]) {
                    State s = states[i];
                    s.trial = step(s.z, s.d, s.t);
                    which[j] = i;
                    trials[j++] = s.trial;
                }
            }
            double[] values = new double[count];
            float[][] grads = new float[count][];
            objective.evaluate(which, trials, values, grads);
            for (j = 0; j < count; j++) {
                State s = states[which[j]];
                double decrease = 0;
                for (int p = 0; p < s.z.length; p++) {
                    decrease += (double) s.g[p] * (s.trial[p] - s.z[p]);
                }
                if (Double.isFinite(values[j]) && values[j] <= s.f + 1e-4 * decrease) {
                    accept(s, s.trial, values[j], grads[j]);
                    pending[which[j]] = false;
                } else if (round == 19 || s.t < 1e-10) {
                    s.done = true;
                    pending[which[j]] = false;
                } else {
                    s.t *= 0.5;
                }
            }
        }
        for (int i = 0; i < states.length; i++) {
            if (pending[i]) {
                states[i].done = true;
            }
        }
    }

    private void accept(State s, float[] z, double f, float[] g) {
        int n = z.length;
        float[] sv = new float[n];
        float[] yv = new float[n];
        double sy = 0;
        for (int p = 0; p < n; p++) {
            sv[p] = z[p] - s.z[p];
            yv[p] = g[p] - s.g[p];
            sy += (double) sv[p] * yv[p];
        }
        if (sy > 1e-10) {
            s.pairs.addLast(new float[][] {sv, yv});
            s.rhos.addLast(1.0 / sy);
            if (s.pairs.size() > memory) {
                s.pairs.removeFirst();
                s.rhos.removeFirst();
            }
        }
        double change = Math.abs(s.f - f);
        s.z = z;
        s.f = f;
        s.g = g;
        if (change <= 1e-9 * (1 + Math.abs(f))) {
            s.done = true;
        }
    }

    /** The L-BFGS direction on the free coordinates, or null when the projected gradient vanishes. */
    private float[] direction(State s) {
        int n = s.z.length;
        boolean[] free = new boolean[n];
        double[] q = new double[n];
        double gmax = 0;
        for (int p = 0; p < n; p++) {
            free[p] = !((s.z[p] <= lo && s.g[p] > 0) || (s.z[p] >= hi && s.g[p] < 0));
            q[p] = free[p] ? s.g[p] : 0;
            gmax = Math.max(gmax, Math.abs(q[p]));
        }
        if (gmax < 1e-8) {
            return null;
        }
        int m = s.pairs.size();
        double[] alpha = new double[m];
        float[][][] pairs = s.pairs.toArray(new float[0][][]);
        Double[] rhos = s.rhos.toArray(new Double[0]);
        for (int i = m - 1; i >= 0; i--) {
            alpha[i] = rhos[i] * dot(pairs[i][0], q, free);
            axpy(-alpha[i], pairs[i][1], q, free);
        }
        double gamma;
        if (m > 0) {
            float[] sLast = pairs[m - 1][0];
            float[] yLast = pairs[m - 1][1];
            gamma = dotf(sLast, yLast) / Math.max(1e-20, dotf(yLast, yLast));
        } else {
            gamma = 0.1 / gmax; // first step moves the largest coordinate by at most 0.1
        }
        for (int p = 0; p < n; p++) {
            q[p] *= gamma;
        }
        for (int i = 0; i < m; i++) {
            double beta = rhos[i] * dot(pairs[i][1], q, free);
            axpy(alpha[i] - beta, pairs[i][0], q, free);
        }
        float[] d = new float[n];
        double slope = 0;
        for (int p = 0; p < n; p++) {
            d[p] = free[p] ? (float) -q[p] : 0f;
            slope += d[p] * s.g[p];
        }
        if (!(slope < 0)) { // not a descent direction: fall back to the scaled negative gradient
            for (int p = 0; p < n; p++) {
                d[p] = free[p] ? (float) (-0.1 * s.g[p] / gmax) : 0f;
            }
        }
        return d;
    }

    private static double dot(float[] a, double[] b, boolean[] free) {
        double sum = 0;
        for (int p = 0; p < a.length; p++) {
            if (free[p]) {
                sum += a[p] * b[p];
            }
        }
        return sum;
    }

    private static double dotf(float[] a, float[] b) {
        double sum = 0;
        for (int p = 0; p < a.length; p++) {
            sum += (double) a[p] * b[p];
        }
        return sum;
    }

    private static void axpy(double a, float[] x, double[] y, boolean[] free) {
        for (int p = 0; p < x.length; p++) {
            if (free[p]) {
                y[p] += a * x[p];
            }
        }
    }

    private float[] step(float[] z, float[] d, double t) {
        float[] out = new float[z.length];
        for (int p = 0; p < z.length; p++) {
            out[p] = Math.min(hi, Math.max(lo, (float) (z[p] + t * d[p])));
        }
        return out;
    }

    private float[] clipCopy(float[] z) {
        float[] out = Arrays.copyOf(z, z.length);
        for (int p = 0; p < out.length; p++) {
            out[p] = Math.min(hi, Math.max(lo, out[p]));
        }
        return out;
    }
}
