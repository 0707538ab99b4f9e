package foil.testing;

import ai.djl.pytorch.jni.JniUtils;
import foil.Foil;
import java.util.function.IntConsumer;

/** Runs a test body at one and at two PyTorch threads (the numbers must not depend on it), then restores. */
public final class Threads {
    private Threads() {}

    public static void atOneAndTwo(IntConsumer body) {
        Foil.engine(); // the numerics guard picks the route first, as in every Foil process
        int before = JniUtils.getNumThreads();
        try {
            for (int threads : new int[] {1, 2}) {
                JniUtils.setNumThreads(threads);
                body.accept(threads);
            }
        } finally {
            JniUtils.setNumThreads(before);
        }
    }
}
