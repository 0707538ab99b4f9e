package foil.gan;

/**
 * A generator/discriminator pair over images: what {@code gan sample}, {@code gan eval}, {@code gan truncation},
 * {@code gan interpolate}, {@code gan invert} and {@code gan provenance} need of any architecture. Its generator's
 * outputs (in [-1, 1], tanh's range) and its critic's inputs have the data's shape, channels × height × width,
 * whatever resolution the networks work at inside.
 */
public interface ImageGan extends GanNetworks {
    int channels();

    int height();

    int width();

    /** Values per image: channels × height × width. */
    default int imageSize() {
        return channels() * height() * width();
    }
}
