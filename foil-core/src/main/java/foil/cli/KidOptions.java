package foil.cli;

import picocli.CommandLine.Option;

/** The subsets of KID's estimate, shared by the commands that score sets (foil fid, foil gan eval). */
final class KidOptions {
    @Option(names = "--kid-subsets", description = "KID subsets.")
    int kidSubsets = 100;

    @Option(names = "--kid-subset-size", description = "KID subset size.")
    int kidSubsetSize = 1000;
}
