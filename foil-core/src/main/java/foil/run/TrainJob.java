package foil.run;

import foil.attack.AttackRun;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.attack.Targeting;
import foil.data.DataSource;
import foil.defense.AdversarialTraining;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.report.Charts;
import foil.io.RunDirectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a classifier and writes it as a model directory: parameters, {@code model.json},
 * {@code run.json}, {@code metrics.json} (with {@code test_accuracy}) and a training curve.
 */
public record TrainJob(DataSource data, Architecture architecture, TrainOptions options, int[] trainSubset,
        AdversarialTraining adversarial, int robustN) {

    /** Standard training. */
    public TrainJob(DataSource data, Architecture architecture, TrainOptions options, int[] trainSubset) {
        this(data, architecture, options, trainSubset, null, 1000);
    }

    /** Trains, saves into {@code dir}, and returns the metrics. The model is returned open to the caller. */
    public Result execute(RunDirectory dir) {
        ImageDataset train = data.train();
        if (trainSubset != null) {
            train = train.slice(trainSubset[0], trainSubset[1]);
        }
        ImageDataset test = data.test();
        foil.Foil.seed(options.seed());
        FoilModel model = FoilModel.create(architecture, train.imageShape(), train.numClasses(),
                Arrays.asList(data.classNames(train.numClasses())));
        long start = System.nanoTime();
        List<ClassifierTrainer.EpochLog> logs = ClassifierTrainer.train(model, train, options, adversarial);
        double seconds = (System.nanoTime() - start) / 1e9;
        double testAccuracy = ClassifierTrainer.accuracy(model, test, 1000);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", data.name());
        training.put("train_subset", trainSubset == null ? null : trainSubset[0] + ":" + trainSubset[1]);
        training.put("train_size", train.size());
        training.put("options", options);
        training.put("adversarial", adversarial);
        training.put("test_accuracy", testAccuracy);
        model.setTraining(training);
        model.save(dir.dir());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("architecture", architecture.cliName);
        metrics.put("test_accuracy", testAccuracy);
        metrics.put("test_size", test.size());
        if (adversarial != null) {
            Pgd pgd = Pgd.of(Norm.LINF, adversarial.eps(), 20);
            AttackRun.Outcome o = AttackRun.run(pgd, model, test.head(robustN), Targeting.untargeted(), 250,
                    options.seed(), false);
            metrics.put("adversarial_training", adversarial);
            metrics.put("robust_accuracy", o.robustAccuracy());
            metrics.put("robust_clean_accuracy", o.cleanAccuracy());
            metrics.put("robust_eval", "PGD-20 L-inf eps " + adversarial.eps() + ", step 2.5*eps/20, random start, on the "
                    + "first " + o.n() + " test images; correct on the clean image and on the adversarial one (RobustBench)");
        }
        metrics.put("train_size", train.size());
        metrics.put("epochs", logs);
        metrics.put("train_seconds", seconds);
        metrics.put("train_images_per_second", train.size() * (double) options.epochs() / seconds);
        double[] ep = new double[logs.size()];
        double[] loss = new double[logs.size()];
        double[] acc = new double[logs.size()];
        for (int i = 0; i < logs.size(); i++) {
            ep[i] = logs.get(i).epoch();
            loss[i] = logs.get(i).trainLoss();
            acc[i] = logs.get(i).trainAccuracy();
        }
        List<Charts.Series> series = new ArrayList<>();
        series.add(new Charts.Series("train loss", ep, loss));
        series.add(new Charts.Series("train accuracy", ep, acc));
        Charts.lines(dir.resolve("training.png"), architecture.cliName + " on " + data.name() + " (test accuracy "
                + String.format("%.4f", testAccuracy) + ")", "epoch", "value", series, 0.0, null);
        dir.writeMetrics(metrics); // last: a stage with metrics.json is complete
        return new Result(model, metrics);
    }

    /** The trained model (open: close it) and its metrics. */
    public record Result(FoilModel model, Map<String, Object> metrics) {}
}
