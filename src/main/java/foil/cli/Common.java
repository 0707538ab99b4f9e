package foil.cli;

import foil.Foil;
import picocli.CommandLine.Option;

/** Options every command shares: seed, threads, quiet, force. */
public class Common {
    @Option(names = "--seed", description = "Random seed; the same seed repeats a run on CPU.")
    long seed = 0;

    @Option(names = "--threads", description = "PyTorch intra-op threads; 0 lets PyTorch choose.")
    int threads = 0;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Option(names = "--force", description = "Replace an earlier Foil run in --out (never other files).")
    boolean force;

    /** Applies the settings that must precede the engine's start. */
    void apply() {
        if (threads < 0) {
            throw new foil.FoilException("--threads must be 0 (automatic) or positive, not " + threads);
        }
        if (quiet) {
            System.setProperty("foil.quiet", "true");
        }
        System.setProperty("java.awt.headless", "true");
        Foil.configure(threads);
    }

    java.util.Map<String, Object> describe() {
        java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
        m.put("seed", seed);
        m.put("threads", threads);
        return m;
    }
}
