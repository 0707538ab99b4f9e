package foil.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;

/**
 * Minibatch standard deviation (Karras et al. 2018, §3): the batch is cut into groups of {@code group} consecutive
 * images; in each, the standard deviation of every feature over the group (√(var + 10⁻⁸), var with divisor G) is
 * averaged over features and pixels into one number, appended to every image of the group as a constant extra
 * channel. The discriminator so sees how varied the generated batch is, which discourages collapse.
 */
public final class MinibatchStddev {
    private MinibatchStddev() {}

    public static final float EPSILON = 1e-8f;

    /** The group size used for a batch of {@code n}: {@code group}, or the whole batch where it does not divide it. */
    public static int groupFor(int n, int group) {
        if (group < 1) {
            throw new FoilException("the minibatch-stddev group must be positive, got " + group);
        }
        return n % group == 0 ? group : n;
    }

    /** x (n × c × h × w) with the extra channel appended: n × (c + 1) × h × w. */
    public static NDArray apply(NDArray x, int group) {
        Shape s = x.getShape();
        long n = s.get(0);
        int g = groupFor((int) n, group);
        NDArray grouped = x.reshape(n / g, g, s.get(1), s.get(2), s.get(3));
        NDArray centred = grouped.sub(grouped.mean(new int[] {1}, true));
        NDArray sd = centred.square().mean(new int[] {1}).add(EPSILON).sqrt(); // n/g × c × h × w
        NDArray perGroup = sd.reshape(n / g, -1).mean(new int[] {1}); // n/g
        NDArray channel = perGroup.reshape(n / g, 1, 1, 1, 1).broadcast(new Shape(n / g, g, 1, s.get(2), s.get(3)))
                .reshape(n, 1, s.get(2), s.get(3));
        return x.concat(channel, 1);
    }

    /**
     * The vector-Jacobian product of {@link #apply}: given the gradient {@code g} at its output (n × (c + 1) × h × w),
     * the gradient at x, as an expression that stays differentiable in whatever x was computed from. With F = c·h·w
     * features, ∂s/∂x_jf = (x_jf − μ_f) / (G·F·σ_f) for s the group's number. Its value is exact; as an expression,
     * σ_f is held constant (its gradient stopped). The exact second derivative through σ grows as 1/σ³, and where a
     * feature is nearly the same across a group (the padded border at 4 × 4, σ ~ 10⁻⁴) a penalty's gradient then
     * overflows float32 and the run turns NaN, which happened in practice; without that term it stays bounded.
     */
    public static NDArray inputGradient(NDArray x, NDArray g, int group) {
        Shape s = x.getShape();
        long n = s.get(0);
        long c = s.get(1);
        int gs = groupFor((int) n, group);
        NDArray direct = g.get(new ai.djl.ndarray.index.NDIndex(":, 0:{}", c));
        NDArray throughS = g.get(new ai.djl.ndarray.index.NDIndex(":, {}:", c)).reshape(n / gs, -1).sum(new int[] {1});
        NDArray grouped = x.reshape(n / gs, gs, c, s.get(2), s.get(3));
        NDArray centred = grouped.sub(grouped.mean(new int[] {1}, true));
        NDArray sd = centred.square().mean(new int[] {1}, true).add(EPSILON).sqrt().stopGradient();
        long features = c * s.get(2) * s.get(3);
        NDArray ds = centred.div(sd.mul((float) (gs * features)));
        return direct.add(ds.mul(throughS.reshape(n / gs, 1, 1, 1, 1)).reshape(s));
    }
}
