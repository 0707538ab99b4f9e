package foil.attack;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.model.Classifier;
import java.util.SplittableRandom;

/**
 * The Square attack (Andriushchenko et al. 2020), a score-based black box: it reads the classifier's logits
 * only (never a gradient), so it also runs on models whose gradients are useless or absent (ONNX models).
 * It follows the reference code (AutoAttack's {@code square.py}): a random search that changes one square
 * window per query and keeps the change when the loss drops or the image becomes misclassified; the window's
 * side follows AutoAttack's piecewise-constant schedule of p (the fraction of pixels changed, halved at
 * fixed fractions of the query budget, from {@code pInit}).
 * <ul>
 *   <li>L-inf: starts from vertical stripes of ±eps (one sign per channel and column), and sets each new
 *       window to x ± eps, one sign per channel.</li>
 *   <li>L2: starts from 5×5 tiles of the paper's nested-square pattern with random signs, scaled to norm
 *       eps; each query moves the perturbation's mass of two windows into the first, with a fresh pattern
 *       added, and rescales the whole perturbation to norm eps (then clips to [0, 1]).</li>
 * </ul>
 * Untargeted, it minimises the margin (the label's logit minus the largest other one); targeted, it
 * minimises the cross-entropy of the target, as the reference does. The whole batch of images not yet fooled
 * is queried at once; window positions, signs and the pattern's orientation are drawn per image from that
 * image's own stream ({@link ImageRandom}), so an image's result does not depend on its batch.
 *
 * <p>Queries: every forward pass of an image counts, its clean one included, so no image uses more than
 * {@code queries}: the clean image (1), the start (1) and up to {@code queries - 2} window updates. (The
 * reference does not count the clean pass and makes {@code queries} updates after its start.) An image leaves
 * the batch as soon as it is misclassified (reaches the target).
 */
public record Square(Norm norm, float eps, int queries, float pInit) implements Randomized {
    public static final int DEFAULT_QUERIES = 5000;
    public static final float DEFAULT_P_INIT = 0.8f;

    public Square {
        Budget.check(norm, eps);
        if (queries < 1 || queries > 10_000_000) {
            throw new FoilException("--queries must be between 1 and 10000000, not " + queries);
        }
        if (!(pInit > 0f && pInit <= 1f)) {
            throw new FoilException("--p-init must be in (0, 1] (the fraction of pixels the first windows change; "
                    + "0.8 is AutoAttack's), not " + pInit);
        }
    }

    /** AutoAttack's settings: 5000 queries, p_init 0.8. */
    public static Square of(Norm norm, float eps) {
        return new Square(norm, eps, DEFAULT_QUERIES, DEFAULT_P_INIT);
    }

    @Override
    public String method() {
        return "square";
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets,
            ImageRandom random) {
        int[] goal = (targets == null ? labels : targets).toType(DataType.INT32, false).toIntArray();
        Search search = new Search(classifier, x, goal, targets != null, random);
        search.run();
        NDArray adv = x.getManager().create(search.out, x.getShape());
        return AttackResult.of(classifier, x, adv, labels, targets).withQueries(search.used);
    }

    /**
     * AutoAttack's schedule: p_init, halved after 10, 50, 200, 500, 1000, 2000, 4000, 6000 and 8000 of 10000
     * iterations, rescaled to the budget.
     */
    static float p(float pInit, int iteration, int budget) {
        int it = (int) ((double) iteration / budget * 10000);
        int[] ends = {10, 50, 200, 500, 1000, 2000, 4000, 6000, 8000};
        int halvings = 0;
        while (halvings < ends.length && it > ends[halvings]) {
            halvings++;
        }
        return pInit / (1 << halvings);
    }

    /** The window's side at iteration {@code it}: L-inf at least 1, L2 at least 3 and odd; at most the image. */
    int side(int it, int c, int h, int w) {
        double pixels = (double) p(pInit, it, queries) * h * w; // the reference's p·(c·h·w)/c
        int s = (int) Math.round(Math.sqrt(pixels));
        if (norm == Norm.LINF) {
            s = Math.max(s, 1);
        } else {
            s = Math.max(s, 3);
            if (s % 2 == 0) {
                s++;
            }
        }
        return Math.min(s, Math.min(h, w));
    }

    /** The paper's L2 pattern on an s×s window: two nested-square halves of opposite sign, unit norm. */
    static float[] eta(int s) {
        float[] d = new float[s * s];
        int half = s / 2;
        float[] top = rectangles(half, s);
        float[] bottom = rectangles(s - half, s);
        System.arraycopy(top, 0, d, 0, top.length);
        for (int i = 0; i < bottom.length; i++) {
            d[half * s + i] = -bottom[i];
        }
        return unit(d);
    }

    /** Squares nested around the centre of an x×y rectangle, weighted 1/(k+1)² for the k-th, unit norm. */
    private static float[] rectangles(int x, int y) {
        float[] d = new float[x * y];
        int c0 = x / 2;
        int c1 = y / 2;
        for (int k = 0; k < Math.max(x / 2 + 1, y / 2 + 1); k++) {
            float v = 1f / ((k + 1) * (k + 1));
            for (int i = Math.max(c0, 0); i < Math.min(c0 + 2 * k + 1, x); i++) {
                for (int j = Math.max(c1, 0); j < Math.min(c1 + 2 * k + 1, y); j++) {
                    d[i * y + j] += v;
                }
            }
            c0--;
            c1--;
        }
        return unit(d);
    }

    private static float[] unit(float[] d) {
        double sq = 0;
        for (float v : d) {
            sq += v * v;
        }
        float n = (float) Math.sqrt(sq);
        for (int i = 0; i < d.length; i++) {
            d[i] = n > 0 ? d[i] / n : 0f;
        }
        return d;
    }

    private static float sign(SplittableRandom r) {
        return r.nextBoolean() ? 1f : -1f;
    }

    /** The random search over one batch: the images still robust, their best points and their losses. */
    private final class Search {
        final Classifier classifier;
        final NDManager batch;
        final int c;
        final int h;
        final int w;
        final int per;
        final int classes;
        final boolean targeted;
        final int[] goal;
        final ImageRandom allRandom;
        /** The adversarial batch on the host; an image's row is written when it leaves the search. */
        final float[] out;
        /** Queries per image of the batch. */
        final int[] used;
        /** Rows of the batch still searched, and per such row: its stream, goal, best margin and loss. */
        int[] rows;
        ImageRandom random;
        float[] marginMin;
        float[] lossMin;
        /** The caller's batch, never closed here. */
        final NDArray input;
        NDArray x;
        NDArray best;
        NDArray lo;
        NDArray hi;

        Search(Classifier classifier, NDArray x, int[] goal, boolean targeted, ImageRandom random) {
            this.classifier = classifier;
            this.batch = x.getManager();
            Shape s = x.getShape();
            this.c = (int) s.get(1);
            this.h = (int) s.get(2);
            this.w = (int) s.get(3);
            this.per = c * h * w;
            this.classes = classifier.numClasses();
            this.goal = goal;
            this.targeted = targeted;
            this.allRandom = random;
            this.out = x.toFloatArray();
            this.used = new int[goal.length];
            this.input = x;
            this.x = x;
        }

        void run() {
            int b = goal.length;
            rows = new int[b];
            for (int i = 0; i < b; i++) {
                rows[i] = i;
            }
            random = allRandom;
            marginMin = new float[b];
            lossMin = new float[b];
            try (NDManager step = batch.newSubManager()) {
                x.tempAttach(step);
                score(classifier.logits(x), marginMin, lossMin); // the clean images: query 1
            }
            java.util.Arrays.fill(used, 1);
            best = x.duplicate();
            keepRobust(); // images already misclassified need nothing more
            if (rows.length == 0 || eps == 0f || queries < 2) {
                finish();
                return;
            }
            if (norm == Norm.LINF) {
                try (NDManager sub = batch.newSubManager()) {
                    x.tempAttach(sub);
                    lo = x.sub(eps).maximum(0f);
                    hi = x.add(eps).minimum(1f);
                    lo.attach(batch);
                    hi.attach(batch);
                }
            }
            query(-1);
            for (int it = 0; it + 3 <= queries && rows.length > 0; it++) {
                query(it);
            }
            finish();
        }

        /** One query of every image still searched: the start ({@code it} = -1) or the window update. */
        void query(int it) {
            int a = rows.length;
            NDArray previous = best;
            try (NDManager step = batch.newSubManager()) {
                x.tempAttach(step);
                best.tempAttach(step);
                if (lo != null) {
                    lo.tempAttach(step);
                    hi.tempAttach(step);
                }
                NDArray candidate = it < 0 ? start(step) : norm == Norm.LINF ? linfUpdate(step, it) : l2Update(step, it);
                float[] margin = new float[a];
                float[] loss = new float[a];
                score(classifier.logits(candidate), margin, loss);
                boolean[] accept = new boolean[a];
                for (int j = 0; j < a; j++) {
                    boolean improved = it < 0 || loss[j] < lossMin[j];
                    if (improved) {
                        lossMin[j] = loss[j];
                    }
                    accept[j] = improved || margin[j] <= 0f;
                    if (accept[j]) {
                        marginMin[j] = margin[j];
                    }
                    used[rows[j]]++;
                }
                NDArray mask = step.create(accept).reshape(a, 1, 1, 1).broadcast(candidate.getShape());
                NDArray next = NDArrays.where(mask, candidate, best);
                next.attach(batch);
                best = next;
            }
            previous.close();
            keepRobust();
        }

        /** The starting point: vertical stripes (L-inf) or tiles of the pattern scaled to norm eps (L2). */
        NDArray start(NDManager step) {
            int a = rows.length;
            if (norm == Norm.LINF) {
                float[] stripes = new float[a * c * w];
                for (int j = 0; j < a; j++) {
                    SplittableRandom r = random.stream(j);
                    for (int k = 0; k < c * w; k++) {
                        stripes[j * c * w + k] = eps * sign(r);
                    }
                }
                return x.add(step.create(stripes, new Shape(a, c, 1, w))).clip(0f, 1f);
            }
            int s = Math.max(1, h / 5);
            int nh = h / s;
            int nw = w / s;
            int top = (h - s * nh) / 2;
            int left = (w - s * nw) / 2;
            float[] pattern = eta(s);
            float[] delta = new float[a * per];
            for (int j = 0; j < a; j++) {
                SplittableRandom r = random.stream(j);
                for (int bi = 0; bi < nh; bi++) {
                    for (int bj = 0; bj < nw; bj++) {
                        boolean transpose = r.nextBoolean();
                        for (int ch = 0; ch < c; ch++) {
                            float sg = sign(r);
                            int base = j * per + ch * h * w;
                            for (int u = 0; u < s; u++) {
                                for (int v = 0; v < s; v++) {
                                    float e = transpose ? pattern[v * s + u] : pattern[u * s + v];
                                    delta[base + (top + bi * s + u) * w + left + bj * s + v] += sg * e;
                                }
                            }
                        }
                    }
                }
            }
            return toBall(step.create(delta, new Shape(a, c, h, w)));
        }

        /** x plus {@code delta} rescaled to L2 norm eps, clipped to [0, 1]. */
        NDArray toBall(NDArray delta) {
            NDArray norms = Pgd.perExampleL2(delta).add(1e-12f);
            return x.add(delta.div(norms).mul(eps)).clip(0f, 1f);
        }

        /** Each image's best point with one window set to x ± eps, a sign per channel, clipped to [0, 1]. */
        NDArray linfUpdate(NDManager step, int it) {
            int a = rows.length;
            int s = side(it, c, h, w);
            float[] rowMask = new float[a * h];
            float[] colMask = new float[a * w];
            float[] signs = new float[a * c];
            for (int j = 0; j < a; j++) {
                SplittableRandom r = random.stream(j);
                window(r, s, j, rowMask, colMask);
                for (int ch = 0; ch < c; ch++) {
                    signs[j * c + ch] = 2f * eps * sign(r);
                }
            }
            NDArray mask = step.create(rowMask, new Shape(a, 1, h, 1)).mul(step.create(colMask, new Shape(a, 1, 1, w)));
            NDArray delta = mask.mul(step.create(signs, new Shape(a, c, 1, 1)));
            return best.add(delta).maximum(lo).minimum(hi);
        }

        /**
         * Draws a window's top-left corner uniformly in [0, side - s], as the paper's algorithm does. (The
         * reference code draws in [0, side - s), so its windows never reach the last row and column.)
         */
        void window(SplittableRandom r, int s, int j, float[] rowMask, float[] colMask) {
            int vh = r.nextInt(h - s + 1);
            int vw = r.nextInt(w - s + 1);
            java.util.Arrays.fill(rowMask, j * h + vh, j * h + vh + s, 1f);
            java.util.Arrays.fill(colMask, j * w + vw, j * w + vw + s, 1f);
        }

        /**
         * The reference's L2 update: window 1 gets its old content (normalised per channel) plus a fresh
         * pattern, window 2 is emptied, and window 1 is given the mass both windows had plus the budget left;
         * then the whole perturbation is rescaled to norm eps.
         */
        NDArray l2Update(NDManager step, int it) {
            int a = rows.length;
            int s = side(it, c, h, w);
            float[] pattern = eta(s);
            float[] rows1 = new float[a * h];
            float[] cols1 = new float[a * w];
            float[] rows2 = new float[a * h];
            float[] cols2 = new float[a * w];
            float[] fresh = new float[a * h * w];
            float[] signs = new float[a * c];
            for (int j = 0; j < a; j++) {
                SplittableRandom r = random.stream(j);
                window(r, s, j, rows1, cols1);
                window(r, s, j, rows2, cols2);
                boolean transpose = r.nextBoolean();
                for (int ch = 0; ch < c; ch++) {
                    signs[j * c + ch] = sign(r);
                }
                int vh = firstOne(rows1, j * h, h);
                int vw = firstOne(cols1, j * w, w);
                for (int u = 0; u < s; u++) {
                    for (int v = 0; v < s; v++) {
                        fresh[j * h * w + (vh + u) * w + vw + v] = transpose ? pattern[v * s + u] : pattern[u * s + v];
                    }
                }
            }
            NDArray mask1 = step.create(rows1, new Shape(a, 1, h, 1)).mul(step.create(cols1, new Shape(a, 1, 1, w)));
            NDArray mask2 = step.create(rows2, new Shape(a, 1, h, 1)).mul(step.create(cols2, new Shape(a, 1, 1, w)));
            NDArray both = mask1.maximum(mask2);
            NDArray delta = best.sub(x);
            int[] spatial = {2, 3};
            NDArray inWindow1 = delta.mul(mask1);
            NDArray normWindow1 = inWindow1.square().sum(spatial, true).sqrt();
            NDArray normWindows = delta.mul(both).square().sum(spatial, true).sqrt();
            NDArray normImage = Pgd.perExampleL2(delta);
            NDArray update = step.create(fresh, new Shape(a, 1, h, w)).mul(step.create(signs, new Shape(a, c, 1, 1)))
                    .add(inWindow1.div(normWindow1.add(1e-12f)));
            NDArray mass = normImage.square().neg().add(eps * eps).maximum(0f).div(c).add(normWindows.square()).sqrt();
            update = update.div(update.square().sum(spatial, true).sqrt().add(1e-12f)).mul(mass);
            NDArray moved = delta.mul(both.neg().add(1f)).add(update);
            return toBall(moved);
        }

        private int firstOne(float[] mask, int from, int n) {
            for (int i = 0; i < n; i++) {
                if (mask[from + i] != 0f) {
                    return i;
                }
            }
            throw new IllegalStateException("empty window");
        }

        /**
         * Margin and loss per searched image from a batch of logits (closed here): untargeted, the margin
         * (goal's logit minus the best other) is the loss; targeted, the margin is the best other minus the
         * target's logit and the loss is the target's cross-entropy.
         */
        void score(NDArray logits, float[] margin, float[] loss) {
            float[] l = logits.toFloatArray();
            logits.close();
            for (int j = 0; j < margin.length; j++) {
                int off = j * classes;
                int y = goal[rows[j]];
                float other = Float.NEGATIVE_INFINITY;
                float top = Float.NEGATIVE_INFINITY;
                for (int k = 0; k < classes; k++) {
                    top = Math.max(top, l[off + k]);
                    if (k != y) {
                        other = Math.max(other, l[off + k]);
                    }
                }
                float mine = l[off + y];
                if (!targeted) {
                    margin[j] = mine - other;
                    loss[j] = margin[j];
                } else {
                    margin[j] = other - mine;
                    double sum = 0;
                    for (int k = 0; k < classes; k++) {
                        sum += Math.exp(l[off + k] - top);
                    }
                    loss[j] = (float) (top + Math.log(sum) - mine);
                }
            }
        }

        /** Moves the images now misclassified (at their target) out of the search, their best point to out. */
        void keepRobust() {
            int a = rows.length;
            int kept = 0;
            boolean[] keep = new boolean[a];
            for (int j = 0; j < a; j++) {
                keep[j] = marginMin[j] > 0f;
                kept += keep[j] ? 1 : 0;
            }
            if (kept == a) {
                return;
            }
            int[] keepIdx = new int[kept];
            int[] doneIdx = new int[a - kept];
            for (int j = 0, k = 0, d = 0; j < a; j++) {
                if (keep[j]) {
                    keepIdx[k++] = j;
                } else {
                    doneIdx[d++] = j;
                }
            }
            write(doneIdx);
            rows = pick(rows, keepIdx);
            random = random.select(keepIdx);
            marginMin = pick(marginMin, keepIdx);
            lossMin = pick(lossMin, keepIdx);
            long[] keepRows = new long[kept];
            for (int k = 0; k < kept; k++) {
                keepRows[k] = keepIdx[k];
            }
            try (NDArray keepMask = batch.create(keepRows)) {
                x = select(x, keepMask);
                best = select(best, keepMask);
                if (lo != null) {
                    lo = select(lo, keepMask);
                    hi = select(hi, keepMask);
                }
            }
        }

        /** The rows {@code index} of {@code a}; {@code a} is closed unless it is the caller's input. */
        private NDArray select(NDArray a, NDArray index) {
            NDArray kept = a.get(index);
            if (a != input) {
                a.close();
            }
            return kept;
        }

        /** Copies the best points of the searched rows {@code idx} into {@code out}. */
        private void write(int[] idx) {
            if (idx.length == 0) {
                return;
            }
            float[] b = best.toFloatArray();
            for (int j : idx) {
                System.arraycopy(b, j * per, out, rows[j] * per, per);
            }
        }

        void finish() {
            int[] all = new int[rows.length];
            for (int j = 0; j < all.length; j++) {
                all[j] = j;
            }
            write(all);
            for (NDArray a : new NDArray[] {best, x, lo, hi}) {
                if (a != null && a != input) {
                    a.close();
                }
            }
        }
    }

    private static int[] pick(int[] a, int[] idx) {
        int[] o = new int[idx.length];
        for (int i = 0; i < idx.length; i++) {
            o[i] = a[idx[i]];
        }
        return o;
    }

    private static float[] pick(float[] a, int[] idx) {
        float[] o = new float[idx.length];
        for (int i = 0; i < idx.length; i++) {
            o[i] = a[idx[i]];
        }
        return o;
    }
}
