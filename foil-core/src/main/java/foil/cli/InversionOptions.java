package foil.cli;

import foil.FoilException;
import foil.gan.Inversion;
import java.util.Locale;
import picocli.CommandLine.Option;

/** The options of inverting a generator ({@code foil gan invert}, {@code foil gan provenance}). */
final class InversionOptions {
    @Option(names = "--restarts", description = "Random starting latents per image; the best is kept.")
    int restarts = Inversion.defaults().restarts();

    @Option(names = "--inversion-steps", description = "Adam steps or L-BFGS iterations per start.")
    int steps = Inversion.defaults().steps();

    @Option(names = "--optimizer", description = "adam or lbfgs.")
    String optimizer = "adam";

    @Option(names = "--lr", description = "Adam's step size.")
    double lr = Inversion.defaults().learningRate();

    @Option(names = "--prior", description = "Weight of the latent prior term mean(z^2).")
    double prior = Inversion.defaults().prior();

    @Option(names = "--feature-weight", description = "Weight of the feature distance beside the pixel error "
            + "(0: pixels only; the feature network is --features or the data's default).")
    double featureWeight = 0;

    Inversion inversion() {
        Inversion.Method method;
        try {
            method = Inversion.Method.valueOf(optimizer.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FoilException("unknown --optimizer '" + optimizer + "': use adam or lbfgs");
        }
        return new Inversion(restarts, steps, lr, prior, featureWeight, method);
    }
}
