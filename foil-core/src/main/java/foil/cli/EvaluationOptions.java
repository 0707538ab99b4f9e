package foil.cli;

import foil.FoilException;
import foil.attack.Norm;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.eval.Ensemble;
import foil.eval.RobustnessEvaluation;
import foil.eval.Shard;
import foil.model.Classifier;
import foil.model.Models;
import foil.model.TransformedLogits;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options of a robustness evaluation, shared by evaluate and verify. */
public class EvaluationOptions {
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

    RobustnessEvaluation build(float[] eps, long seed, Shard shard) {
        return new RobustnessEvaluation(Norm.of(norm), eps, attackNames(), n, batch, seed, shard, !noChecks,
                unboundedN);
    }

    /** The dataset. */
    DataSource source() {
        return data.locate();
    }

    /** The model, for the test split's image shape (the caller closes it). */
    Classifier open(ImageDataset test) {
        if (model == null) {
            throw new FoilException("--model is required: a Foil model directory or a TorchScript .pt file");
        }
        Classifier c = Models.load(model, test.imageShape());
        return logitScale == null ? c : TransformedLogits.scaled(c, logitScale);
    }

    /** Parses "0.05,0.1,0.2". */
    static float[] parseEps(String text) {
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
