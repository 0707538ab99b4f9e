package foil.gan;

import foil.FoilException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The one-dimensional GAN of the lecture. Real data x ~ N(mu, 1); the generator only shifts noise,
 * x* = g(z, theta) = z + theta with z ~ N(0, 1); the discriminator is a logistic regression
 * D(x) = sig(phi0 + phi1·x). The discriminator minimises
 * L(phi) = -Σ_j log(1 - D(x*_j)) - Σ_i log D(x_i); the generator minimises its term
 * Σ_j log(1 - D(g(z_j, theta))) (the saturating minimax form), or -Σ_j log D(g(z_j, theta)) (the
 * non-saturating form). Each GAN iteration samples, takes {@code dSteps} discriminator steps, then
 * {@code gSteps} generator steps, by plain gradient descent on batch means.
 */
public final class ToyGan {

    /** The generator's loss. */
    public enum GeneratorLoss {
        MINIMAX("minimax"),
        NONSATURATING("nonsaturating");

        public final String cliName;

        GeneratorLoss(String cliName) {
            this.cliName = cliName;
        }

        public static GeneratorLoss of(String name) {
            return foil.CliNames.lookup(values(), l -> l.cliName, name, "toy GAN loss");
        }
    }

    /** Settings, checked once. */
    public record Options(double mu, double theta0, int iterations, int dSteps, int gSteps, double lrD, double lrG,
            int batch, GeneratorLoss loss, double tolerance, long seed) {
        public Options {
            if (!Double.isFinite(mu) || Math.abs(mu) > 100 || !Double.isFinite(theta0) || Math.abs(theta0) > 100) {
                throw new FoilException("--mu and --theta0 must be finite numbers within ±100");
            }
            if (iterations < 1 || iterations > 10_000_000) {
                throw new FoilException("--iters must be between 1 and 10000000, not " + iterations);
            }
            if (dSteps < 1 || gSteps < 1 || dSteps > 1000 || gSteps > 1000) {
                throw new FoilException("--d-steps and --g-steps must be between 1 and 1000");
            }
            if (!(lrD > 0 && lrD <= 10) || !(lrG > 0 && lrG <= 10)) {
                throw new FoilException("learning rates must be in (0, 10]");
            }
            if (batch < 1 || batch > 1_000_000) {
                throw new FoilException("--batch must be between 1 and 1000000, not " + batch);
            }
            if (!(tolerance > 0 && tolerance < 0.5)) {
                throw new FoilException("--tolerance must be in (0, 0.5), not " + tolerance);
            }
        }

        public static Options lecture(double mu, GeneratorLoss loss, long seed) {
            return new Options(mu, 0, 20_000, 5, 1, 0.1, 0.05, 256, loss, 0.05, seed);
        }
    }

    /** The state at one iteration. */
    public record Snapshot(int iteration, double theta, double phi0, double phi1, double dLoss, double gLoss) {
        public double discriminator(double x) {
            return sigmoid(phi0 + phi1 * x);
        }
    }

    /** The whole run: every recorded snapshot, and the iteration it stopped at. */
    public record Result(Options options, List<Snapshot> history, int stoppedAt, boolean converged) {
        public Snapshot last() {
            return history.get(history.size() - 1);
        }

        /** The largest |D(x) - 0.5| for x in mu ± 3, on a fine grid. */
        public double dMaxDeviation() {
            return maxDeviation(last(), options.mu());
        }
    }

    private ToyGan() {}

    static double sigmoid(double a) {
        return a >= 0 ? 1 / (1 + Math.exp(-a)) : Math.exp(a) / (1 + Math.exp(a));
    }

    /** log sig(a), stable. */
    static double logSigmoid(double a) {
        return a >= 0 ? -Math.log1p(Math.exp(-a)) : a - Math.log1p(Math.exp(a));
    }

    static double maxDeviation(Snapshot s, double mu) {
        double worst = 0;
        for (int k = 0; k <= 600; k++) {
            double x = mu - 3 + 6.0 * k / 600;
            worst = Math.max(worst, Math.abs(s.discriminator(x) - 0.5));
        }
        return worst;
    }

    /**
     * Trains; stops early once the discriminator is no better than chance (max |D - 0.5| over mu ± 3 below
     * the tolerance, and |theta - mu| below it) for 200 iterations in a row. The learning rates decay
     * (1/(1 + t/2000)) so minibatch noise settles. Records a snapshot every {@code recordEvery} iterations.
     */
    public static Result train(Options o, int recordEvery) {
        Random random = new Random(o.seed());
        double theta = o.theta0();
        double phi0 = 0;
        double phi1 = 0;
        List<Snapshot> history = new ArrayList<>();
        history.add(new Snapshot(0, theta, phi0, phi1, Double.NaN, Double.NaN));
        double[] real = new double[o.batch()];
        double[] fake = new double[o.batch()];
        int calm = 0;
        int t;
        boolean converged = false;
        for (t = 1; t <= o.iterations(); t++) {
            double decay = 1.0 / (1.0 + t / 2000.0);
            double dLoss = 0;
            for (int k = 0; k < o.dSteps(); k++) {
                for (int i = 0; i < o.batch(); i++) {
                    real[i] = o.mu() + random.nextGaussian();
                    fake[i] = random.nextGaussian() + theta;
                }
                double g0 = 0;
                double g1 = 0;
                dLoss = 0;
                for (int i = 0; i < o.batch(); i++) {
                    double dr = sigmoid(phi0 + phi1 * real[i]);
                    double df = sigmoid(phi0 + phi1 * fake[i]);
                    g0 += df - (1 - dr);
                    g1 += df * fake[i] - (1 - dr) * real[i];
                    dLoss += -logSigmoid(-(phi0 + phi1 * fake[i])) - logSigmoid(phi0 + phi1 * real[i]);
                }
                phi0 -= o.lrD() * decay * g0 / o.batch();
                phi1 -= o.lrD() * decay * g1 / o.batch();
                dLoss /= o.batch();
            }
            double gLoss = 0;
            for (int k = 0; k < o.gSteps(); k++) {
                double g = 0;
                gLoss = 0;
                for (int j = 0; j < o.batch(); j++) {
                    double a = phi0 + phi1 * (random.nextGaussian() + theta);
                    double d = sigmoid(a);
                    if (o.loss() == GeneratorLoss.MINIMAX) {
                        g += -d * phi1; // d/dθ log(1 - sig(a))
                        gLoss += logSigmoid(-a);
                    } else {
                        g += -(1 - d) * phi1; // d/dθ -log sig(a)
                        gLoss += -logSigmoid(a);
                    }
                }
                theta -= o.lrG() * decay * g / o.batch();
                gLoss /= o.batch();
            }
            Snapshot s = new Snapshot(t, theta, phi0, phi1, dLoss, gLoss);
            if (!Double.isFinite(theta) || !Double.isFinite(phi0) || !Double.isFinite(phi1)) {
                throw new FoilException("the toy GAN diverged at iteration " + t + ": lower --lr");
            }
            if (t % recordEvery == 0) {
                history.add(s);
            }
            boolean chance = Math.abs(theta - o.mu()) <= o.tolerance() && maxDeviation(s, o.mu()) <= o.tolerance();
            calm = chance ? calm + 1 : 0;
            if (calm >= 200) {
                converged = true;
                if (t % recordEvery != 0) {
                    history.add(s);
                }
                break;
            }
        }
        if (!converged && history.get(history.size() - 1).iteration() != o.iterations()) {
            history.add(new Snapshot(o.iterations(), theta, phi0, phi1, Double.NaN, Double.NaN));
        }
        return new Result(o, history, Math.min(t, o.iterations()), converged);
    }

    /** The density of N(mean, 1) at x. */
    public static double gaussian(double x, double mean) {
        double d = x - mean;
        return Math.exp(-0.5 * d * d) / Math.sqrt(2 * Math.PI);
    }

    /** The optimal discriminator D*(x) = p_data / (p_data + p_g) for the generator at theta. */
    public static double optimalDiscriminator(double x, double mu, double theta) {
        double pd = gaussian(x, mu);
        double pg = gaussian(x, theta);
        return pd + pg == 0 ? 0.5 : pd / (pd + pg);
    }
}
