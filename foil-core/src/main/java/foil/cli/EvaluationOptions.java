package foil.cli;

import foil.FoilException;
import foil.attack.Norm;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.Ensemble;
import foil.eval.RobustnessEvaluation;
import foil.eval.Shard;
import foil.eval.Warning;
import foil.io.Json;
import foil.model.Classifier;
import foil.model.Models;
import foil.model.TransformedLogits;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a robustness evaluation, shared by evaluate and verify. */
public class EvaluationOptions {
    /**
     * Picocli drops the standard help options of a command that defines its own {@code --version} (the AutoAttack
     * version here), so evaluate and verify declare {@code --help} themselves.
     */
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help message and exit.")
    boolean help;

    @Option(names = "--model", description = "A Foil model directory or a TorchScript .pt file.")
    Path model;

    @Mixin
    DataOption.Default data;

    @Option(names = "--norm", description = "Norm of the budget: linf or l2.")
    String norm = "linf";

    @Option(names = "--version", description = "AutoAttack version: standard (APGD-CE, APGD-T, FAB-T, Square 5000 queries) or plus.")
    String version = "standard";

    @Option(names = "--attacks", description = "Another ensemble, run the same way, e.g. apgd-ce,apgd-dlr,square "
            + "(apgd-ce, apgd-dlr, apgd-t, fab-t, square, pgd, fgsm; a trailing + gives 5 restarts).")
    String attacks;

    @Option(names = "--n", description = "Evaluate the first N test images.")
    int n = 1000;

    @Option(names = "--batch", description = "Batch size (shards are made of whole batches).")
    int batch = 250;

    @Option(names = "--no-checks", description = "Skip the trust checks (gradients, outputs, PGD-20, single step, unbounded budget).")
    boolean noChecks;

    @Option(names = "--unbounded-n", description = "Images the unbounded-budget check attacks (the first of the set).")
    int unboundedN = 100;

    @Option(names = "--logit-scale", description = "Multiply the model's logits by this factor: a gradient-masking "
            + "experiment (1000 saturates the softmax; the evaluation must see through it).")
    Float logitScale;

    /** The attack names to run: --attacks, or the version's. */
    List<String> attackNames() {
        return attacks != null ? Ensemble.parse(attacks) : Ensemble.version(version);
    }

    public RobustnessEvaluation build(float[] eps, long seed, Shard shard) {
        return new RobustnessEvaluation(Norm.of(norm), eps, attackNames(), n, batch, seed, shard, !noChecks,
                unboundedN);
    }

    /** The dataset. */
    DataSource source() {
        return data.locate();
    }

    /** --data as given: a name or a directory. */
    public String dataName() {
        return data.name();
    }

    /** --model as given. */
    public Path model() {
        if (model == null) {
            throw new FoilException("--model is required: a Foil model directory or a TorchScript .pt file");
        }
        return model;
    }

    /** --logit-scale, or null. */
    public Float logitScale() {
        return logitScale;
    }

    /** The model, for the test split's image shape (the caller closes it). */
    Classifier open(ImageDataset test) {
        return open(model(), logitScale, test);
    }

    /** The model at {@code path} as an evaluation opens it (with the logit scale, when one is given). */
    public static Classifier open(Path path, Float logitScale, ImageDataset test) {
        Classifier c = Models.load(path, test.imageShape());
        return logitScale == null ? c : TransformedLogits.scaled(c, logitScale);
    }

    /**
     * Prints an evaluation's one-line summary (the figures, and where it ran when a cluster did) on standard output
     * and its warnings on standard error.
     */
    @SuppressWarnings("unchecked")
    public static void print(Map<String, Object> m) {
        Map<String, Object> s = new LinkedHashMap<>();
        for (String k : new String[] {"n", "clean_accuracy", "eps", "robust_accuracy", "per_attack", "results",
            "seconds", "spark"}) {
            if (m.containsKey(k)) {
                s.put(k, m.get(k));
            }
        }
        s.put("warnings", ((List<Warning>) m.get("warnings")).stream().map(Warning::name).toList());
        System.out.println(Json.line(s));
        for (Warning w : (List<Warning>) m.get("warnings")) {
            System.err.println("foil: warning " + w.name() + ": " + w.message());
        }
    }

    /** Parses "0.05,0.1,0.2". */
    public static float[] parseEps(String text) {
        if (text == null) {
            throw new FoilException("--eps is required: the budget, or several separated by commas (0.05,0.1)");
        }
        String[] parts = text.split(",");
        float[] out = new float[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = Float.parseFloat(parts[i].trim());
            } catch (NumberFormatException e) {
                throw new FoilException("--eps must be numbers separated by commas, not '" + text + "'");
            }
        }
        for (int i = 0; i < out.length; i++) {
            for (int j = 0; j < i; j++) {
                if (out[i] == out[j]) {
                    throw new FoilException("--eps names " + out[i] + " twice");
                }
            }
        }
        return out;
    }
}
