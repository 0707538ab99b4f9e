package foil.cli;

import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.EvaluationRun;
import foil.eval.Gate;
import foil.eval.RobustnessEvaluation;
import foil.eval.Shard;
import foil.io.RunDirectory;
import foil.model.Classifier;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "A robustness gate for builds: runs the standard evaluation and exits 0 when the thresholds "
                + "hold, 1 when they do not, 2 on bad input; one summary line, and a JUnit XML report.")
final class VerifyCommand implements Callable<Integer> {
    @Mixin
    EvaluationOptions evaluation;

    @Option(names = "--eps", required = true, description = "The budget.")
    float eps;

    @Option(names = "--min-robust-accuracy", required = true, description = "Fail below this robust accuracy (a fraction).")
    double minRobust;

    @Option(names = "--min-clean-accuracy", description = "Fail below this clean accuracy (a fraction).")
    Double minClean;

    @Option(names = "--fail-on-warnings", description = "Also fail when a trust check raises a warning.")
    boolean failOnWarnings;

    @Option(names = "--junit", description = "JUnit XML report (default: OUT/verify.xml).")
    Path junit;

    @Mixin
    OutputOption output;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        Gate gate = new Gate(minRobust, minClean, failOnWarnings);
        RobustnessEvaluation e = evaluation.build(new float[] {eps}, common.seed, Shard.WHOLE);
        DataSource source = evaluation.source();
        ImageDataset test = source.test();
        Map<String, Object> m;
        long t0 = System.nanoTime();
        try (Classifier c = evaluation.open(test)) {
            RunDirectory dir = common.startRun(output.out, source.describe(), Map.of("attacks", e.attacks()));
            m = EvaluationRun.execute(e, c, test, dir, false, Map.of("data", test.name()));
            List<Gate.Check> checks = gate.judge(m);
            Path report = junit != null ? junit : dir.resolve("verify.xml");
            Gate.writeJunit(report, checks, m, (System.nanoTime() - t0) / 1e9);
            boolean pass = Gate.passed(checks);
            System.out.println(String.format(Locale.ROOT, "foil verify: %s: robust accuracy %.4f at %s eps %s "
                    + "(threshold %.4f), clean accuracy %.4f%s; report %s", pass ? "PASSED" : "FAILED",
                    ((Number) m.get("robust_accuracy")).doubleValue(), evaluation.norm, eps, minRobust,
                    ((Number) m.get("clean_accuracy")).doubleValue(), failed(checks), report));
            return pass ? 0 : 1;
        }
    }

    private static String failed(List<Gate.Check> checks) {
        List<String> f = checks.stream().filter(c -> !c.passed()).map(c -> c.name() + " (" + c.detail() + ")").toList();
        return f.isEmpty() ? "" : "; failed: " + String.join("; ", f);
    }
}
