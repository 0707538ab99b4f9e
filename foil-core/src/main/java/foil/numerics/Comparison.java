package foil.numerics;

/**
 * One quantity (an output, an input gradient, a weight gradient) as the engine computed it, beside its float64
 * reference. The error is the largest absolute difference relative to the reference's largest magnitude, so it
 * reads the same for every scale; any non-finite engine value makes it infinite.
 */
public record Comparison(String quantity, float[] engine, double[] reference) {
    public Comparison {
        if (engine.length != reference.length) {
            throw new IllegalArgumentException(quantity + ": the engine gave " + engine.length + " values where the "
                    + "reference has " + reference.length);
        }
    }

    public double error() {
        double scale = 0;
        for (double r : reference) {
            scale = Math.max(scale, Math.abs(r));
        }
        double worst = 0;
        for (int i = 0; i < engine.length; i++) {
            if (!Float.isFinite(engine[i])) {
                return Double.POSITIVE_INFINITY;
            }
            worst = Math.max(worst, Math.abs(engine[i] - reference[i]));
        }
        return worst / Math.max(scale, 1e-12);
    }

    /** The index of the worst value, to name it in a message. */
    public int worstIndex() {
        int at = 0;
        double worst = -1;
        for (int i = 0; i < engine.length; i++) {
            double d = Float.isFinite(engine[i]) ? Math.abs(engine[i] - reference[i]) : Double.POSITIVE_INFINITY;
            if (d > worst) {
                worst = d;
                at = i;
            }
        }
        return at;
    }
}
