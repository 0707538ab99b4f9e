package foil.numerics;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import foil.Foil;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Which convolution back ends the engine's PyTorch may use, switched in the running process through the
 * functions libtorch exports for it ({@code at::globalContext()} and {@code at::Context::setUserEnabledMkldnn} /
 * {@code setUserEnabledNNPACK}: what Python's {@code torch.backends.mkldnn.enabled} and
 * {@code torch.backends.nnpack.set_flags} set). With oneDNN off, PyTorch computes convolutions with its own
 * im2col and the BLAS matrix product.
 */
public final class Backends {
    private static Library cached;

    private Backends() {}

    /** Whether PyTorch uses oneDNN (MKL-DNN) now. */
    public static boolean oneDnn() {
        Library lib = library();
        return lib.getOneDnn.invokeInt(new Object[] {lib.context}) != 0;
    }

    /** Turns PyTorch's use of oneDNN on or off for the rest of the process (or until switched again). */
    public static void setOneDnn(boolean on) {
        Library lib = library();
        lib.setOneDnn.invokeVoid(new Object[] {lib.context, on ? 1 : 0});
        if (oneDnn() != on) {
            throw new IllegalStateException("PyTorch did not take the oneDNN switch (" + on + ")");
        }
    }

    /**
     * Turns PyTorch's NNPACK convolutions on or off. Foil keeps them off: where the CPU is not supported
     * ("Could not initialize NNPACK! Reason: Unsupported hardware.") PyTorch tries and warns at every
     * convolution, and one path fewer is one path fewer to trust.
     */
    public static void setNnpack(boolean on) {
        Library lib = library();
        lib.setNnpack.invokeVoid(new Object[] {lib.context, on ? 1 : 0});
    }

    private record Library(Pointer context, Function setOneDnn, Function getOneDnn, Function setNnpack) {}

    private static synchronized Library library() {
        if (cached == null) {
            Foil.engine(); // loads libtorch
            Path dir = Path.of(LibUtils.getLibtorchPath());
            Path so = dir.resolve("libtorch_cpu.so");
            if (!Files.exists(so) && dir.getParent() != null) {
                so = dir.getParent().resolve("libtorch_cpu.so");
            }
            NativeLibrary lib = NativeLibrary.getInstance(so.toString());
            Pointer context = lib.getFunction("_ZN2at13globalContextEv").invokePointer(new Object[0]);
            cached = new Library(context, lib.getFunction("_ZN2at7Context20setUserEnabledMkldnnEb"),
                    lib.getFunction("_ZNK2at7Context17userEnabledMkldnnEv"),
                    lib.getFunction("_ZN2at7Context20setUserEnabledNNPACKEb"));
        }
        return cached;
    }
}
