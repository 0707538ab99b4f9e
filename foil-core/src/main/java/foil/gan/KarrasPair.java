package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;
import foil.nn.MinibatchStddev;

/**
 * What the pairs of Karras et al. share: square images of the data's size, padded inside the networks to a power of
 * two, and the {@link ProgressiveCritic}, whose input gradient (for WGAN-GP and R1) comes from its tape.
 */
abstract class KarrasPair extends ModelPair implements ImageGan {
    private final int channels;
    private final int size;
    private final ProgressiveCritic critic;

    KarrasPair(String name, Block generator, ProgressiveCritic critic, int latent, int channels, int size) {
        super(name, generator, critic, null, latent, new Shape(channels, size, size));
        this.channels = channels;
        this.size = size;
        this.critic = critic;
    }

    ProgressiveCritic critic() {
        return critic;
    }

    @Override
    public NDArray criticInputGradient(NDArray x) {
        return critic.inputGradient(x);
    }

    /** D(x) and ∇ₓD(x) from one recorded pass of the critic. */
    @Override
    public NDArray[] scoreWithInputGradient(NDArray x) {
        return critic.scoreAndInputGradient(x);
    }

    /**
     * Both batches in one pass where the minibatch-stddev groups of the joint batch are those of each batch
     * ({@link MinibatchStddev#groupFor} the same for both sizes, so no group spans the two): images interact only
     * within their group, so each score is the one a pass of its own batch gives. Otherwise two passes.
     */
    @Override
    public NDArray[] scoreBoth(NDArray real, NDArray fake) {
        int n = (int) real.getShape().get(0);
        if (n != fake.getShape().get(0)
                || MinibatchStddev.groupFor(n, critic.group()) != MinibatchStddev.groupFor(2 * n, critic.group())) {
            return super.scoreBoth(real, fake);
        }
        NDArray both = score(real.concat(fake, 0));
        return new NDArray[] {both.get(new NDIndex("0:{}", n)), both.get(new NDIndex("{}:", n))};
    }

    @Override
    public int channels() {
        return channels;
    }

    @Override
    public int height() {
        return size;
    }

    @Override
    public int width() {
        return size;
    }
}
