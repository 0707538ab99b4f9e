package foil.numerics;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Locale;

/**
 * Deliberately wrong kernels, to prove the self-check catches and names what it is meant to catch
 * ({@code foil doctor --fault OP}, and the tests). Each keeps the forward pass exact and breaks the gradients,
 * as the oneDNN fault this check was built for did.
 */
public final class Faults {
    /** The operations a fault can be put into. */
    public static final List<String> OPS = List.of("conv2d");

    private Faults() {}

    /**
     * A convolution whose output is right but whose gradients are those of the kernel flipped in space (the
     * classic mix-up of convolution and cross-correlation): out = conv(x, w) + conv(x, w') - stop(conv(x, w')).
     */
    public static final ConvolutionCheck.Kernel FLIPPED_GRADIENT = (x, w, b, stride, padding) -> {
        NDArray right = ConvolutionCheck.ENGINE.apply(x, w, b, stride, padding);
        NDArray flipped = ConvolutionCheck.ENGINE.apply(x, w.flip(2, 3), null, stride, padding);
        return right.add(flipped).sub(flipped.stopGradient());
    };

    /** The checks with a fault put into every check of {@code op}. */
    public static List<OpCheck> inject(String op, List<OpCheck> checks) {
        String name = op.toLowerCase(Locale.ROOT);
        if (!OPS.contains(name)) {
            throw new foil.FoilException("--fault '" + op + "' is not one of " + String.join(", ", OPS));
        }
        return checks.stream().map(c -> c instanceof ConvolutionCheck conv ? (OpCheck) conv.with(FLIPPED_GRADIENT) : c)
                .toList();
    }
}
