package foil.model;

import foil.FoilException;

/** Settings of standard training; each value is checked here, once, for the CLI and the Java API alike. */
public record TrainOptions(int epochs, int batch, float learningRate, float weightDecay, long seed) {
    public TrainOptions {
        if (epochs < 1 || epochs > 10_000) {
            throw new FoilException("--epochs must be between 1 and 10000, not " + epochs);
        }
        if (batch < 1 || batch > 1 << 16) {
            throw new FoilException("--batch must be between 1 and 65536, not " + batch);
        }
        if (!(learningRate > 0f) || learningRate > 10f) {
            throw new FoilException("--lr must be positive and at most 10, not " + learningRate);
        }
        if (!(weightDecay >= 0f) || weightDecay > 1f) {
            throw new FoilException("--weight-decay must be in [0, 1], not " + weightDecay);
        }
    }

    public static TrainOptions defaults() {
        return new TrainOptions(3, 128, 2e-3f, 0f, 0);
    }
}
