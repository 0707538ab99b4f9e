package foil.cli;

import foil.FoilException;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --out, the run directory a command writes (run.json, metrics.json, figures). */
final class OutputOption {
    @Option(names = "--out", required = true, description = "Run directory to write.")
    Path out;

    /** --out of a command that can instead --resume a stopped run: required for a new run only. */
    static final class UnlessResumed {
        @Option(names = "--out", description = "Run directory to write (required unless --resume).")
        Path out;

        /** The output directory of a new run. */
        Path require() {
            if (out == null) {
                throw new FoilException("give --out DIR for a new run, or --resume DIR to continue one");
            }
            return out;
        }
    }
}
