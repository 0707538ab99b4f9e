package foil.cli;

import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Unmatched;

/** {@code foil spark JOB ...}: the Spark module's own command line (evaluate, features, sweep), in a child JVM. */
@Command(name = "spark", description = "Run a job of the Spark module (foil-spark): evaluate, features "
        + "robust-dataset|nonrobust-dataset, or sweep (a grid of GAN runs); './foil spark --help' lists them.")
final class SparkCommand implements Callable<Integer> {
    /** The job and its options (picocli keeps them here; they are handed on as given, a "--" included). */
    @Unmatched
    List<String> args = new java.util.ArrayList<>();

    @Override
    public Integer call() {
        List<String> given = Cli.args();
        int at = given.indexOf("spark");
        return SparkOption.handOff(given.subList(at + 1, given.size()));
    }
}
