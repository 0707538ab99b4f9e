package foil.gan;

import foil.FoilException;
import java.util.Random;

/**
 * Two-dimensional mixtures of Gaussians used to measure mode collapse, with PacGAN's settings (Lin et al.
 * 2018): a ring of 8 Gaussians (radius 1, std 0.01) and a 5×5 grid of 25 Gaussians (means on
 * {-4, -2, 0, 2, 4}², std 0.05), equally weighted.
 */
public record Mixture(String name, double[][] means, double std) {

    public static Mixture ring() {
        double[][] means = new double[8][];
        for (int k = 0; k < 8; k++) {
            double angle = 2 * Math.PI * k / 8;
            means[k] = new double[] {Math.cos(angle), Math.sin(angle)};
        }
        return new Mixture("ring", means, 0.01);
    }

    public static Mixture grid() {
        double[][] means = new double[25][];
        int k = 0;
        for (int i = -2; i <= 2; i++) {
            for (int j = -2; j <= 2; j++) {
                means[k++] = new double[] {2.0 * i, 2.0 * j};
            }
        }
        return new Mixture("grid", means, 0.05);
    }

    public static Mixture of(String shape) {
        return switch (shape.toLowerCase(java.util.Locale.ROOT)) {
            case "ring" -> ring();
            case "grid" -> grid();
            default -> throw new FoilException("unknown mixture '" + shape + "': use ring or grid");
        };
    }

    public int modes() {
        return means.length;
    }

    /** {@code n} samples as a flat array of (x, y) pairs. */
    public float[] sample(int n, Random random) {
        float[] out = new float[2 * n];
        for (int i = 0; i < n; i++) {
            double[] mu = means[random.nextInt(means.length)];
            out[2 * i] = (float) (mu[0] + std * random.nextGaussian());
            out[2 * i + 1] = (float) (mu[1] + std * random.nextGaussian());
        }
        return out;
    }

    /** This mixture as the trainer's source of real samples. */
    public GanTrainer.RealData realData() {
        return new GanTrainer.RealData() {
            @Override
            public float[] sample(int n, Random random) {
                return Mixture.this.sample(n, random);
            }

            @Override
            public ai.djl.ndarray.types.Shape shape() {
                return new ai.djl.ndarray.types.Shape(means[0].length);
            }
        };
    }

    /** The data's standard deviation, averaged over the coordinates (what a network standardises by). */
    public double scale() {
        int d = means[0].length;
        double variance = 0;
        for (int c = 0; c < d; c++) {
            double sum = 0;
            double squares = 0;
            for (double[] m : means) {
                sum += m[c];
                squares += m[c] * m[c];
            }
            double mean = sum / means.length;
            variance += squares / means.length - mean * mean;
        }
        return Math.sqrt(variance / d + std * std);
    }

    /** The extent of the data, for plots. */
    public double radius() {
        double r = 0;
        for (double[] m : means) {
            r = Math.max(r, Math.hypot(m[0], m[1]));
        }
        return r;
    }
}
