package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Block;

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
