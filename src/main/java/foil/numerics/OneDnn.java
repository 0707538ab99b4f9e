package foil.numerics;

import ai.djl.pytorch.jni.LibUtils;
import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Pointer;
import foil.Foil;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the engine's PyTorch routes convolutions through oneDNN (MKL-DNN), switched in the running process
 * through the two functions libtorch exports for it ({@code at::globalContext()} and
 * {@code at::Context::setUserEnabledMkldnn(bool)}, what Python's {@code torch.backends.mkldnn.enabled} sets).
 * With oneDNN off, PyTorch computes convolutions with its own im2col and the BLAS matrix product.
 */
public final class OneDnn {
    private static final String CONTEXT = "_ZN2at13globalContextEv";
    private static final String SET = "_ZN2at7Context20setUserEnabledMkldnnEb";
    private static final String GET = "_ZNK2at7Context17userEnabledMkldnnEv";

    private OneDnn() {}

    /** Whether PyTorch uses oneDNN now. */
    public static boolean enabled() {
        Library lib = library();
        return lib.get.invokeInt(new Object[] {lib.context}) != 0 ? true : false;
    }

    /** Turns PyTorch's use of oneDNN on or off for the rest of the process (or until switched again). */
    public static void setEnabled(boolean on) {
        Library lib = library();
        lib.set.invokeVoid(new Object[] {lib.context, on ? 1 : 0});
        if (enabled() != on) {
            throw new IllegalStateException("PyTorch did not take the oneDNN switch (" + on + ")");
        }
    }

    private record Library(Pointer context, Function set, Function get) {}

    private static Library cached;

    private static synchronized Library library() {
        if (cached == null) {
            Foil.engine(); // loads libtorch
            Path so = Path.of(LibUtils.getLibtorchPath()).resolve("libtorch_cpu.so");
            if (!Files.exists(so)) {
                so = Path.of(LibUtils.getLibtorchPath()).getParent().resolve("libtorch_cpu.so");
            }
            NativeLibrary lib = NativeLibrary.getInstance(so.toString());
            Pointer context = lib.getFunction(CONTEXT).invokePointer(new Object[0]);
            cached = new Library(context, lib.getFunction(SET), lib.getFunction(GET));
        }
        return cached;
    }
}
