package foil.cli;

import picocli.CommandLine.Option;

/** --k of the commands that measure precision, recall, density and coverage. */
final class PrdcOption {
    @Option(names = "--k", description = "Neighbours for precision/recall/density/coverage (strict inequality, as "
            + "the reference prdc code).")
    int k = 5;
}
