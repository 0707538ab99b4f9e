package foil;

import ai.djl.Device;
import ai.djl.engine.Engine;
import foil.numerics.Numerics;

/** Process-wide runtime settings: DJL offline mode, thread counts, and the device Foil computes on. */
public final class Foil {
    public static final String VERSION = "0.1.0";
    private static volatile boolean configured;

    private Foil() {}

    /**
     * Configures DJL before its engine starts: offline (no downloads, no telemetry), PyTorch as the default
     * engine, and, when {@code threads > 0}, the intra-op thread count of PyTorch (ONNX Runtime's too). Later
     * calls only change nothing.
     */
    public static synchronized void configure(int threads) {
        if (configured) {
            return;
        }
        System.setProperty("ai.djl.offline", "true");
        System.setProperty("OPT_OUT_TRACKING", "true");
        if (System.getProperty("ai.djl.default_engine") == null) {
            // ONNX Runtime is on the class path too (for .onnx models): PyTorch stays every array's engine
            System.setProperty("ai.djl.default_engine", "PyTorch");
        }
        if (threads > 0) {
            System.setProperty("ai.djl.pytorch.num_threads", Integer.toString(threads));
            System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        }
        configured = true;
    }

    /**
     * The PyTorch engine, configured with defaults if nobody configured it before. The first call in a process
     * also runs the numerics guard ({@link Numerics#ensure()}): the cheap self-check, and oneDNN switched off
     * where it computes wrong numbers; it throws a {@link FoilException} when the engine cannot be trusted.
     */
    public static Engine engine() {
        configure(0);
        foil.numerics.NativeMemory.tune(); // before the engine's first large tensors
        Engine engine = Engine.getEngine("PyTorch");
        foil.numerics.OwnedTensors.ensure();
        Numerics.ensure();
        return engine;
    }

    /**
     * Seeds the engine's random generator (initial weights, dropout, random starts) from a run's seed. The engine
     * takes an int: the seed's two halves are folded together, so seeds that differ only above bit 31 still
     * differ, and seeds below 2^32 give what they gave before.
     */
    public static void seed(long seed) {
        engine().setRandomSeed((int) (seed ^ (seed >>> 32)));
    }

    /** The first GPU when one is present, the CPU otherwise. */
    public static Device device() {
        Engine engine = engine();
        return engine.getGpuCount() > 0 ? Device.gpu() : Device.cpu();
    }

    /** PyTorch's version, as the engine reports it. */
    public static String pytorchVersion() {
        return engine().getVersion();
    }

    /** DJL's version. */
    public static String djlVersion() {
        String v = Engine.class.getPackage().getImplementationVersion();
        return v == null ? "0.36.0" : v;
    }
}
