package foil.cli;

import foil.FoilException;
import foil.attack.Attack;
import foil.attack.Targeting;
import foil.attack.Transfer;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.Models;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.TransferJob;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "transfer", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Cross-model transfer (Szegedy et al. 2014): craft adversarial examples on each model, classify "
                + "them with every model; a matrix of error rates (metrics.json, transfer.csv, transfer.png heat map), "
                + "white box on the diagonal, transfer off it.")
final class TransferCommand implements Callable<Integer> {
    @Option(names = "--models", required = true, split = ",", description = "Two or more models: Foil directories or "
            + "TorchScript files, e.g. trained on disjoint halves (--train-subset 0:30000, 30000:60000) or other "
            + "architectures.")
    List<Path> models;

    @Mixin
    DataOption.Required data;

    @Mixin
    AttackOptions attack;

    @Option(names = "--eps", description = "Budget for fgsm and pgd (L-inf or L2 radius).")
    Float eps;

    @Option(names = "--target", description = "Targeted: make every prediction this class (images of this class are "
            + "left out of every figure).")
    Integer target;

    @Option(names = "--n", description = "Attack the first N test images.")
    int n = 1000;

    @Option(names = "--batch", description = "Batch size.")
    int batch = 256;

    @Mixin
    OutputOption output;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        if (models.size() < 2) {
            throw new FoilException("--models needs at least two models, separated by commas");
        }
        if (n < 1 || batch < 1) {
            throw new FoilException("--n and --batch must be positive");
        }
        if (!attack.needsEps() && eps != null) {
            throw new FoilException("--eps does not apply to --method " + attack.method
                    + ", which finds the smallest perturbation itself");
        }
        if (attack.needsEps() && eps == null) {
            throw new FoilException("--eps is required for --method " + attack.method + " (e.g. --eps 0.1)");
        }
        Attack a = attack.build(eps == null ? 0f : eps);
        // L-BFGS is a targeted attack: it aims at a random other class; any wrong answer counts as an error
        Targeting targeting = target != null ? Targeting.fixed(target)
                : attack.targetedByDefault() ? Targeting.random(common.seed) : Targeting.untargeted();
        DataSource source = data.locate();
        ImageDataset test = source.test();
        List<Classifier> opened = new ArrayList<>();
        try {
            for (Path p : models) {
                opened.add(Models.load(p, test.imageShape()));
            }
            targeting.targets(new int[0], opened.get(0).numClasses()); // rejects a --target that is no class
            RunDirectory dir = common.startRun(output.out, source.describe());
            Transfer.Matrix m = new TransferJob(a, targeting, n, batch, common.seed).execute(models, opened, test, dir);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("models", m.models());
            line.put("clean_error", m.cleanError());
            line.put("error", m.error());
            line.put("mean_transfer_error", m.meanTransferError());
            System.out.println(Json.line(line));
        } finally {
            opened.forEach(Classifier::close);
        }
        return 0;
    }
}
