package foil.cli;

import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The {@code options} of a command's run.json, read from picocli's model of the command after parsing: every option
 * and positional parameter with its value, given or default. A key is the option's longest name without its dashes,
 * with '-' turned into '_' ({@code --kid-subsets} is {@code kid_subsets}); a positional parameter's is its label
 * ({@code <a>} is {@code a}). Paths are written as strings. Left out: help and version, and the options that do not
 * shape the run's results ({@code --quiet}, {@code --force}) or stand elsewhere in run.json ({@code --seed}).
 */
final class RunOptions {
    private static final Set<String> NOT_OF_THE_RUN = Set.of("--quiet", "--force", "--seed");

    private RunOptions() {}

    /** The options of {@code command} as parsed, in the order it declares them. */
    static Map<String, Object> of(CommandSpec command) {
        Map<String, Object> options = new LinkedHashMap<>();
        for (PositionalParamSpec p : command.positionalParameters()) {
            options.put(key(p), plain(p.getValue()));
        }
        for (OptionSpec o : command.options()) {
            if (!o.usageHelp() && !o.versionHelp() && !NOT_OF_THE_RUN.contains(o.longestName())) {
                options.put(key(o), plain(o.getValue()));
            }
        }
        return options;
    }

    /**
     * The parsed options with {@code resolved} on top: values the command worked out from them (a parsed list, a
     * default that depends on other options), under the key of the option they come from or a key of their own.
     */
    static Map<String, Object> of(CommandSpec command, Map<String, ?> resolved) {
        Map<String, Object> options = of(command);
        options.putAll(resolved);
        return options;
    }

    /** The command's name in run.json: its full name less the program's, e.g. {@code gan eval}. */
    static String commandName(CommandSpec command) {
        String full = command.qualifiedName(" ");
        String root = command.root().name() + " ";
        return full.startsWith(root) ? full.substring(root.length()) : full;
    }

    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "").replace('-', '_');
    }

    static String key(PositionalParamSpec parameter) {
        return parameter.paramLabel().replaceAll("[<>]", "").replace('-', '_').toLowerCase(Locale.ROOT);
    }

    /** Paths as strings, in collections too; other values as they are. */
    private static Object plain(Object value) {
        if (value instanceof Path p) {
            return p.toString();
        }
        if (value instanceof Collection<?> c) {
            return c.stream().map(RunOptions::plain).toList();
        }
        return value;
    }
}
