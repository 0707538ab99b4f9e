package foil.metrics;

/**
 * The exact solver of the transportation problem: move mass a_i from n sources to demands b_j of m sinks
 * (Σa = Σb) at least total cost Σ c_ij·f_ij. A primal network simplex on the complete bipartite graph
 * (spanning-tree bases with parent, thread and successor-count arrays, block-search pivoting, an artificial
 * root with big-M arcs for the first basis), after the design of LEMON's NetworkSimplex. The optimum is that of
 * the linear program, up to floating-point rounding.
 */
final class TransportSimplex {
    private static final int UP = 1;
    private static final int DOWN = -1;
    private static final byte LOWER = 1;
    private static final byte TREE = 0;

    private final int n;
    private final int m;
    private final int nodes;
    private final int root;
    private final int realArcs;
    private final double[] cost;
    private final double[] flow;
    private final byte[] state;
    private final int[] artSource;
    private final int[] artTarget;
    private final double[] artCost;
    private final double[] pi;
    private final int[] parent;
    private final int[] pred;
    private final int[] thread;
    private final int[] revThread;
    private final int[] succNum;
    private final int[] lastSucc;
    private final int[] predDir;
    private final int[] dirty;
    private final int blockSize;
    private final double tolerance;
    private int nextArc;
    private int inArc;
    private int join;
    private int uIn;
    private int vIn;
    private int uOut;
    private double delta;
    private long pivots;

    /** {@code cost} is n×m, row-major; {@code supply} (n) and {@code demand} (m) are non-negative. */
    TransportSimplex(double[] supply, double[] demand, double[] cost) {
        this.n = supply.length;
        this.m = demand.length;
        this.nodes = n + m;
        this.root = nodes;
        this.realArcs = n * m;
        this.cost = cost;
        this.flow = new double[realArcs + nodes];
        this.state = new byte[realArcs];
        this.artSource = new int[nodes];
        this.artTarget = new int[nodes];
        this.artCost = new double[nodes];
        this.pi = new double[nodes + 1];
        this.parent = new int[nodes + 1];
        this.pred = new int[nodes + 1];
        this.thread = new int[nodes + 1];
        this.revThread = new int[nodes + 1];
        this.succNum = new int[nodes + 1];
        this.lastSucc = new int[nodes + 1];
        this.predDir = new int[nodes + 1];
        this.dirty = new int[nodes + 2];
        this.blockSize = Math.max(10, (int) Math.ceil(Math.sqrt(realArcs)));
        double maxCost = 0;
        for (double c : cost) {
            maxCost = Math.max(maxCost, Math.abs(c));
        }
        this.tolerance = 1e-12 * Math.max(1.0, maxCost);
        double big = (maxCost + 1) * (nodes + 1);
        java.util.Arrays.fill(state, LOWER);
        parent[root] = -1;
        pred[root] = -1;
        thread[root] = 0;
        revThread[0] = root;
        succNum[root] = nodes + 1;
        lastSucc[root] = root - 1;
        pi[root] = 0;
        for (int u = 0; u < nodes; u++) {
            double s = u < n ? supply[u] : -demand[u - n];
            int e = realArcs + u;
            parent[u] = root;
            pred[u] = e;
            thread[u] = u + 1;
            revThread[u + 1] = u;
            succNum[u] = 1;
            lastSucc[u] = u;
            if (s >= 0) {
                predDir[u] = UP;
                pi[u] = 0;
                artSource[u] = u;
                artTarget[u] = root;
                flow[e] = s;
                artCost[u] = 0;
            } else {
                predDir[u] = DOWN;
                pi[u] = big;
                artSource[u] = root;
                artTarget[u] = u;
                flow[e] = -s;
                artCost[u] = big;
            }
        }
    }

    private int source(int e) {
        return e < realArcs ? e / m : artSource[e - realArcs];
    }

    private int target(int e) {
        return e < realArcs ? n + e % m : artTarget[e - realArcs];
    }

    private double arcCost(int e) {
        return e < realArcs ? cost[e] : artCost[e - realArcs];
    }

    /** Runs to optimality. */
    void solve() {
        while (findEnteringArc()) {
            findJoinNode();
            boolean change = findLeavingArc();
            changeFlow(change);
            if (change) {
                updateTreeStructure();
                updatePotential();
            }
            pivots++;
        }
    }

    long pivots() {
        return pivots;
    }

    double flow(int i, int j) {
        return flow[i * m + j];
    }

    /** Flow left on the artificial arcs (zero for a balanced problem, up to rounding). */
    double infeasibility() {
        double s = 0;
        for (int u = 0; u < nodes; u++) {
            s += flow[realArcs + u];
        }
        return s;
    }

    /**
     * Block search: scan the arcs cyclically from where the last search stopped, a block at a time, and take
     * the most negative reduced cost of the first block that has one.
     */
    private boolean findEnteringArc() {
        double min = -tolerance;
        int found = -1;
        int cnt = blockSize;
        int e = nextArc;
        for (int k = 0; k < realArcs; k++, e = e + 1 == realArcs ? 0 : e + 1) {
            if (state[e] == LOWER) {
                int i = e / m;
                double c = cost[e] + pi[i] - pi[n + e - i * m];
                if (c < min) {
                    min = c;
                    found = e;
                }
            }
            if (--cnt == 0) {
                if (found >= 0) {
                    break;
                }
                cnt = blockSize;
            }
        }
        if (found < 0) {
            return false;
        }
        inArc = found;
        nextArc = e + 1 >= realArcs ? 0 : e + 1;
        return true;
    }

    private void findJoinNode() {
        int u = source(inArc);
        int v = target(inArc);
        while (u != v) {
            if (succNum[u] < succNum[v]) {
                u = parent[u];
            } else {
                v = parent[v];
            }
        }
        join = u;
    }

    /** Arcs are uncapacitated: only arcs whose flow the cycle decreases can leave. */
    private boolean findLeavingArc() {
        int first = source(inArc);
        int second = target(inArc);
        delta = Double.POSITIVE_INFINITY;
        int result = 0;
        for (int u = first; u != join; u = parent[u]) {
            if (predDir[u] == UP) {
                double d = flow[pred[u]];
                if (d < delta) {
                    delta = d;
                    uOut = u;
                    result = 1;
                }
            }
        }
        for (int u = second; u != join; u = parent[u]) {
            if (predDir[u] == DOWN) {
                double d = flow[pred[u]];
                if (d <= delta) {
                    delta = d;
                    uOut = u;
                    result = 2;
                }
            }
        }
        if (result == 0) {
            throw new IllegalStateException("unbounded transport problem: negative cycle of infinite capacity");
        }
        if (result == 1) {
            uIn = first;
            vIn = second;
        } else {
            uIn = second;
            vIn = first;
        }
        return true;
    }

    private void changeFlow(boolean change) {
        if (delta > 0) {
            double val = delta;
            flow[inArc] += val;
            for (int u = source(inArc); u != join; u = parent[u]) {
                flow[pred[u]] -= predDir[u] * val;
            }
            for (int u = target(inArc); u != join; u = parent[u]) {
                flow[pred[u]] += predDir[u] * val;
            }
        }
        state[inArc] = TREE;
        int out = pred[uOut];
        flow[out] = 0;
        if (out < realArcs) {
            state[out] = LOWER;
        }
    }

    private void updateTreeStructure() {
        int oldRevThread = revThread[uOut];
        int oldSuccNum = succNum[uOut];
        int oldLastSucc = lastSucc[uOut];
        int vOut = parent[uOut];
        if (uIn == uOut) {
            parent[uIn] = vIn;
            pred[uIn] = inArc;
            predDir[uIn] = uIn == source(inArc) ? UP : DOWN;
            if (thread[vIn] != uOut) {
                int after = thread[oldLastSucc];
                thread[oldRevThread] = after;
                revThread[after] = oldRevThread;
                after = thread[vIn];
                thread[vIn] = uOut;
                revThread[uOut] = vIn;
                thread[oldLastSucc] = after;
                revThread[after] = oldLastSucc;
            }
        } else {
            int threadContinue = oldRevThread == vIn ? thread[oldLastSucc] : thread[vIn];
            int stem = uIn;
            int parStem = vIn;
            int nextStem;
            int last = lastSucc[uIn];
            int before;
            int after = thread[last];
            thread[vIn] = uIn;
            int dirtyCount = 0;
            dirty[dirtyCount++] = vIn;
            while (stem != uOut) {
                nextStem = parent[stem];
                thread[last] = nextStem;
                dirty[dirtyCount++] = last;
                before = revThread[stem];
                thread[before] = after;
                revThread[after] = before;
                parent[stem] = parStem;
                parStem = stem;
                stem = nextStem;
                last = lastSucc[stem] == lastSucc[parStem] ? revThread[parStem] : lastSucc[stem];
                after = thread[last];
            }
            parent[uOut] = parStem;
            thread[last] = threadContinue;
            revThread[threadContinue] = last;
            lastSucc[uOut] = last;
            if (oldRevThread != vIn) {
                thread[oldRevThread] = after;
                revThread[after] = oldRevThread;
            }
            for (int k = 0; k < dirtyCount; k++) {
                int u = dirty[k];
                revThread[thread[u]] = u;
            }
            int tmpSc = 0;
            int tmpLs = lastSucc[uOut];
            for (int u = uOut, p = parent[u]; u != uIn; u = p, p = parent[u]) {
                pred[u] = pred[p];
                predDir[u] = -predDir[p];
                tmpSc += succNum[u] - succNum[p];
                succNum[u] = tmpSc;
                lastSucc[p] = tmpLs;
            }
            pred[uIn] = inArc;
            predDir[uIn] = uIn == source(inArc) ? UP : DOWN;
            succNum[uIn] = oldSuccNum;
        }
        int upLimitOut = lastSucc[join] == vIn ? join : -1;
        int lastSuccOut = lastSucc[uOut];
        for (int u = vIn; u != -1 && lastSucc[u] == vIn; u = parent[u]) {
            lastSucc[u] = lastSuccOut;
        }
        if (join != oldRevThread && vIn != oldRevThread) {
            for (int u = vOut; u != upLimitOut && lastSucc[u] == oldLastSucc; u = parent[u]) {
                lastSucc[u] = oldRevThread;
            }
        } else if (lastSuccOut != oldLastSucc) {
            for (int u = vOut; u != upLimitOut && lastSucc[u] == oldLastSucc; u = parent[u]) {
                lastSucc[u] = lastSuccOut;
            }
        }
        for (int u = vIn; u != join; u = parent[u]) {
            succNum[u] += oldSuccNum;
        }
        for (int u = vOut; u != join; u = parent[u]) {
            succNum[u] -= oldSuccNum;
        }
    }

    private void updatePotential() {
        double sigma = pi[vIn] - pi[uIn] - predDir[uIn] * arcCost(inArc);
        int end = thread[lastSucc[uIn]];
        for (int u = uIn; u != end; u = thread[u]) {
            pi[u] += sigma;
        }
    }
}
