package foil.numerics;

import ai.djl.pytorch.engine.PtNDManager;
import java.net.URL;
import java.security.CodeSource;

/**
 * Whether arrays made from Java data own their memory. DJL 0.36.0 wraps such data with {@code torch::from_blob} and
 * lets the Java garbage collector free it once the Java array is closed, though autograd may still hold the tensor:
 * every {@code x.mul(0.5f)}, {@code div}, {@code pow} by a number saves a scalar made that way, so a collection between
 * a forward and a backward pass made gradients wrong at random (docs/notes/djl-freed-scalars.md). Foil's copy of
 * {@code ai.djl.pytorch.engine.PtNDManager} copies the data into memory PyTorch owns; it works only when it comes
 * before DJL's jar on the class path, which this class checks once per process.
 */
public final class OwnedTensors {
    private static volatile boolean warned;

    private OwnedTensors() {}

    /** Whether the class path loaded Foil's {@code PtNDManager} rather than DJL's. */
    public static boolean active() {
        return same(PtNDManager.class.getProtectionDomain().getCodeSource(),
                OwnedTensors.class.getProtectionDomain().getCodeSource());
    }

    private static boolean same(CodeSource a, CodeSource b) {
        URL x = a == null ? null : a.getLocation();
        URL y = b == null ? null : b.getLocation();
        return x != null && x.equals(y);
    }

    /** One line on standard error, once, when DJL's own manager was loaded: gradients may then be wrong at random. */
    public static void ensure() {
        if (!warned && !active()) {
            warned = true;
            System.err.println("foil: DJL's PtNDManager was loaded from "
                    + PtNDManager.class.getProtectionDomain().getCodeSource().getLocation() + " before Foil's copy: "
                    + "gradients may read memory the garbage collector freed; put Foil's jar (or classes) before "
                    + "DJL's pytorch-engine jar on the class path");
        }
    }
}
