package foil.numerics;

import com.sun.jna.Function;
import com.sun.jna.NativeLibrary;
import com.sun.jna.Platform;
import java.util.Locale;

/**
 * glibc's allocator, tuned for the engine's large, short-lived tensors. By default glibc serves allocations of
 * megabytes with fresh mmap()s (or trims the heap after them), so every new activation or gradient tensor is
 * page-faulted in again: on the machines of this project that costs more than the arithmetic (PGD on bench-cnn
 * ran about 3 times slower). Foil keeps such memory in the heap and the heap mapped: no mmap() for allocations
 * (M_MMAP_MAX 0), threads created from now on share one arena, trim threshold 2 GiB, top pad 256 MiB, set with
 * mallopt() in the running process, so it holds for the Java API as for {@code ./foil}. Threads that already
 * had an arena of their own keep it, and there a single request over 64 MiB is still mapped afresh; for such
 * sizes set {@code GLIBC_TUNABLES=glibc.malloc.arena_max=1:glibc.malloc.mmap_max=0} before the JVM starts
 * (measured here: no difference for bench-cnn's PGD or DCGAN at their default batches). The price: the resident
 * size keeps its peak. {@code FOIL_MALLOC=default} (or {@code -Dfoil.malloc=default}) leaves glibc as it is.
 */
public final class NativeMemory {
    private static final int M_TRIM_THRESHOLD = -1;
    private static final int M_TOP_PAD = -2;
    private static final int M_MMAP_THRESHOLD = -3;
    private static final int M_MMAP_MAX = -4;
    private static final int M_ARENA_MAX = -8;
    private static final int MMAP_THRESHOLD = 32 << 20;
    private static final int TRIM_THRESHOLD = Integer.MAX_VALUE;
    private static final int TOP_PAD = 256 << 20;

    private static String state;

    private NativeMemory() {}

    /** Tunes glibc once per process; returns what was done, for run.json and {@code foil doctor}. */
    public static synchronized String tune() {
        if (state == null) {
            state = apply();
        }
        return state;
    }

    private static String apply() {
        String mode = System.getProperty("foil.malloc", System.getenv("FOIL_MALLOC"));
        if (mode != null && mode.trim().toLowerCase(Locale.ROOT).equals("default")) {
            return "glibc defaults (FOIL_MALLOC=default)";
        }
        if (!Platform.isLinux()) {
            return "unchanged (not Linux)";
        }
        try {
            Function mallopt = NativeLibrary.getInstance(Platform.C_LIBRARY_NAME).getFunction("mallopt");
            boolean ok = mallopt.invokeInt(new Object[] {M_MMAP_THRESHOLD, MMAP_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TRIM_THRESHOLD, TRIM_THRESHOLD}) == 1
                    & mallopt.invokeInt(new Object[] {M_TOP_PAD, TOP_PAD}) == 1
                    & mallopt.invokeInt(new Object[] {M_MMAP_MAX, 0}) == 1
                    & mallopt.invokeInt(new Object[] {M_ARENA_MAX, 1}) == 1;
            return ok ? "glibc tuned: no mmap for allocations, one arena, trim threshold 2 GiB, top pad 256 MiB"
                    : "unchanged (mallopt refused the settings)";
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return "unchanged (no glibc mallopt: " + e.getMessage() + ")";
        }
    }
}
