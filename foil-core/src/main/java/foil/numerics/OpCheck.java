package foil.numerics;

import ai.djl.ndarray.NDManager;
import java.util.List;
import java.util.Random;

/**
 * One operation Foil runs on the engine, at one shape, with what to compare against its independent reference.
 * Inputs come from {@code random} (Java's generator, not the engine's), so engine and reference see the same
 * numbers whatever the engine's seed.
 */
public interface OpCheck {
    /** The operation's name, as {@code foil doctor} prints it ("conv2d"). */
    String op();

    /** The shape and settings checked ("8x1x28x28 * 32x1x3x3 s1 p1"). */
    String shape();

    /** Whether the check is in the cheap set that runs once in every process before training or attacking. */
    boolean cheap();

    /** Runs the operation on the engine (arrays under {@code m}) and returns the quantities to compare. */
    List<Comparison> run(NDManager m, Random random);

    /** The largest error accepted: float32 sums against float64, with room for the order of summation. */
    default double tolerance() {
        return 1e-4;
    }
}
