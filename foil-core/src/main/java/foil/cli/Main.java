package foil.cli;

import foil.Foil;
import foil.FoilException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code foil} command line: a thin layer over Foil's Java API. */
@Command(name = "foil", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Adversarial examples and GANs on the JVM: train classifiers, attack them, measure them.",
        subcommands = {TrainCommand.class, EvalCommand.class, AttackCommand.class, EvaluateCommand.class, VerifyCommand.class, SweepCommand.class, TransferCommand.class, ProbeCommand.class, FeaturesCommand.class, ExperimentCommand.class,
            DataCommand.class, DemoCommand.class, DoctorCommand.class, FidCommand.class, BenchCommand.class, GanCommand.class, EmdCommand.class, SparkCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs the CLI and returns its exit code: 0 done, 2 bad input, 1 an internal error. */
    public static int execute(String... args) {
        return execute(new PrintWriter(System.err, true), args);
    }

    /** Runs the CLI with its error messages going to {@code err}. */
    public static int execute(PrintWriter errors, String... args) {
        return execute(new Main(), errors, args);
    }

    /**
     * Runs a command line rooted at {@code root} (Foil's, or another module's built of Foil's commands and
     * mixins) the way Foil's runs: bad input is one line and exit code 2, an internal error one line and 1.
     */
    public static int execute(Object root, PrintWriter errors, String... args) {
        Cli.setArgs(args);
        CommandLine cli = new CommandLine(root);
        cli.setErr(errors);
        cli.setParameterExceptionHandler((ex, a) -> {
            PrintWriter err = ex.getCommandLine().getErr();
            err.println("foil: " + ex.getMessage() + " (see '" + ex.getCommandLine().getCommandSpec().qualifiedName()
                    + " --help')");
            err.flush();
            return 2;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            PrintWriter err = cmd.getErr();
            FoilException user = userError(ex);
            if (user != null) {
                err.println("foil: " + user.getMessage());
                err.flush();
                return 2;
            }
            err.println("foil: internal error: " + ex + " (set FOIL_DEBUG=1 for the stack trace)");
            if (System.getenv("FOIL_DEBUG") != null) {
                ex.printStackTrace(err);
            }
            err.flush();
            return 1;
        });
        return cli.execute(args);
    }

    private static FoilException userError(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof FoilException f) {
                return f;
            }
        }
        return null;
    }

    /** Versions of Foil and its engine. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"foil " + Foil.VERSION + " (DJL " + Foil.djlVersion() + ", PyTorch 2.7.1 engine, Java "
                    + System.getProperty("java.version") + ")"};
        }
    }
}
