package foil.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** --model of the commands that read a trained GAN: its run directory. */
final class GanModelOption {
    @Option(names = "--model", required = true, description = "The GAN run directory (from 'foil gan train').")
    Path model;
}
