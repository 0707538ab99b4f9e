package foil.cli;

import foil.Foil;
import foil.io.RunDirectory;
import java.nio.file.Path;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Options every command shares: seed, threads, quiet, force; and the start of a run that writes a directory. */
public class Common {
    @Option(names = "--seed", description = "Random seed; the same seed repeats a run on CPU.")
    long seed = 0;

    @Option(names = "--threads", description = "PyTorch intra-op threads; 0 lets PyTorch choose.")
    int threads = 0;

    @Option(names = "--quiet", description = "No progress bars.")
    boolean quiet;

    @Option(names = "--force", description = "Replace an earlier Foil run in --out (never other files).")
    boolean force;

    /** The command these options belong to, whose parsed options go into run.json. */
    @Spec(Spec.Target.MIXEE)
    CommandSpec command;

    public long seed() {
        return seed;
    }

    /** --threads: PyTorch's intra-op threads, 0 for PyTorch's choice. */
    public int threads() {
        return threads;
    }

    public boolean force() {
        return force;
    }

    /** Applies the settings that must precede the engine's start. */
    public void apply() {
        if (threads < 0) {
            throw new foil.FoilException("--threads must be 0 (automatic) or positive, not " + threads);
        }
        if (quiet) {
            System.setProperty("foil.quiet", "true");
        }
        System.setProperty("java.awt.headless", "true");
        Foil.configure(threads);
    }

    /** Opens {@code out} for a new run (see --force) and writes its run.json: the command's parsed options. */
    RunDirectory startRun(Path out, Object data) {
        return startRun(out, data, Map.of());
    }

    /**
     * Opens {@code out} for a new run and writes its run.json: the command's parsed options with {@code resolved}
     * on top (see {@link RunOptions#of(CommandSpec, Map)}), this seed, and {@code data}, what the run reads.
     */
    public RunDirectory startRun(Path out, Object data, Map<String, ?> resolved) {
        RunDirectory dir = RunDirectory.create(out, force);
        dir.writeRun(RunOptions.commandName(command), Cli.args(), RunOptions.of(command, resolved), seed, data);
        return dir;
    }
}
