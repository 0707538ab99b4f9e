package foil.gan;

import java.util.ArrayList;
import java.util.List;

/**
 * The toy GAN's value V(phi1, theta) = E_x log D(x) + E_z log(1 - D(z + theta)), with the discriminator's
 * bias tied to its slope (phi0 = -phi1·(mu + theta)/2, the threshold halfway between the two means), and
 * the path alternating gradient steps take on it: the discriminator ascends in phi1, the generator
 * descends in theta. The Nash equilibrium (phi1 = 0, theta = mu) is a saddle point of V, and the steps
 * circle around it instead of settling.
 */
public record GanLandscape(double mu) {
    private static final int NODES = 64;
    private static final double[] X = new double[NODES];
    private static final double[] W = new double[NODES];

    static {
        // a plain rule on [-8, 8] for expectations under N(0, 1); accurate to ~1e-9 for these integrands
        double sum = 0;
        for (int i = 0; i < NODES; i++) {
            X[i] = -8 + 16.0 * (i + 0.5) / NODES;
            W[i] = Math.exp(-0.5 * X[i] * X[i]);
            sum += W[i];
        }
        for (int i = 0; i < NODES; i++) {
            W[i] /= sum;
        }
    }

    public double value(double phi1, double theta) {
        double phi0 = -phi1 * (mu + theta) / 2;
        double v = 0;
        for (int i = 0; i < NODES; i++) {
            v += W[i] * (ToyGan.logSigmoid(phi0 + phi1 * (mu + X[i])) + ToyGan.logSigmoid(-(phi0 + phi1 * (theta + X[i]))));
        }
        return v;
    }

    /** One point of the path. */
    public record Point(double phi1, double theta, double value) {}

    /** Alternating steps from (phi1, theta): the discriminator up the value, then the generator down. */
    public List<Point> path(double phi1, double theta, double lr, int steps) {
        List<Point> out = new ArrayList<>();
        double h = 1e-5;
        out.add(new Point(phi1, theta, value(phi1, theta)));
        for (int s = 0; s < steps; s++) {
            double dPhi = (value(phi1 + h, theta) - value(phi1 - h, theta)) / (2 * h);
            phi1 += lr * dPhi;
            double dTheta = (value(phi1, theta + h) - value(phi1, theta - h)) / (2 * h);
            theta -= lr * dTheta;
            out.add(new Point(phi1, theta, value(phi1, theta)));
        }
        return out;
    }
}
