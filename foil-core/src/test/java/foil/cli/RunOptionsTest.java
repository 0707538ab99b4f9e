package foil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** run.json's options from picocli's parse: keys, given and default values, paths as strings, what is left out. */
class RunOptionsTest {
    @Command(name = "score", mixinStandardHelpOptions = true)
    static final class Score implements Runnable {
        @Parameters(index = "0")
        String reference;

        @Option(names = "--kid-subsets")
        int kidSubsets = 100;

        @Option(names = {"-n", "--count"})
        int count = 3;

        @Option(names = "--models", split = ",")
        List<Path> models;

        @Option(names = "--out", required = true)
        Path out;

        @Mixin
        Common common;

        @Override
        public void run() {}
    }

    @Command(name = "foil", subcommands = Score.class)
    static final class Root implements Runnable {
        @Override
        public void run() {}
    }

    @Test
    void everyOptionOfTheRunIsRecordedGivenOrDefault() {
        CommandLine cli = new CommandLine(new Score());
        cli.parseArgs("a.npz", "-n", "7", "--models", "x,y/z", "--out", "runs/o", "--seed", "3", "--force");
        Map<String, Object> o = RunOptions.of(cli.getCommandSpec());
        assertEquals(List.of("reference", "kid_subsets", "count", "models", "out", "threads"),
                new ArrayList<>(o.keySet()), "no help, version, seed, quiet or force: " + o);
        assertEquals("a.npz", o.get("reference"));
        assertEquals(100, o.get("kid_subsets"));
        assertEquals(7, o.get("count"));
        assertEquals(List.of("x", "y/z"), o.get("models"));
        assertEquals("runs/o", o.get("out"));
        assertEquals(0, o.get("threads"));
    }

    @Test
    void resolvedValuesGoOnTopOfTheParsedOnes() {
        CommandLine cli = new CommandLine(new Score());
        cli.parseArgs("a.npz", "--out", "o");
        Map<String, Object> o = RunOptions.of(cli.getCommandSpec(), Map.of("count", 30, "attack", "pgd"));
        assertEquals(30, o.get("count"));
        assertEquals("pgd", o.get("attack"));
    }

    @Test
    void theCommandIsNamedWithoutTheProgram() {
        CommandLine root = new CommandLine(new Root());
        assertEquals("score", RunOptions.commandName(root.getSubcommands().get("score").getCommandSpec()));
        assertEquals("foil", RunOptions.commandName(root.getCommandSpec()));
    }
}
