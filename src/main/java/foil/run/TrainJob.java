package foil.run;

import ai.djl.engine.Engine;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Architecture;
import foil.model.ClassifierTrainer;
import foil.model.FoilModel;
import foil.model.TrainOptions;
import foil.report.Charts;
import foil.report.RunDirectory;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Trains a classifier and writes it as a model directory: parameters, {@code model.json},
 * {@code run.json}, {@code metrics.json} (with {@code test_accuracy}) and a training curve.
 */
public record TrainJob(DataSource data, Architecture architecture, TrainOptions options, int[] trainSubset) {

    /** Trains, saves into {@code dir}, and returns the metrics. The model is returned open to the caller. */
    public Result execute(RunDirectory dir) {
        ImageDataset train = data.train();
        if (trainSubset != null) {
            train = train.slice(trainSubset[0], trainSubset[1]);
        }
        ImageDataset test = data.test();
        Engine.getInstance().setRandomSeed((int) options.seed());
        FoilModel model = FoilModel.create(architecture, train.imageShape(), train.numClasses(),
                Arrays.asList(data.classNames(train.numClasses())));
        long start = System.nanoTime();
        List<ClassifierTrainer.EpochLog> logs = ClassifierTrainer.train(model, train, options);
        double seconds = (System.nanoTime() - start) / 1e9;
        double testAccuracy = ClassifierTrainer.accuracy(model, test, 1000);
        Map<String, Object> training = new LinkedHashMap<>();
        training.put("data", data.name());
        training.put("train_subset", trainSubset == null ? null : trainSubset[0] + ":" + trainSubset[1]);
        training.put("train_size", train.size());
        training.put("options", options);
        training.put("adversarial", null);
        training.put("test_accuracy", testAccuracy);
        model.setTraining(training);
        model.save(dir.dir());
        Map<String, Object> metrics = new LinkedHashMap<>();
        metrics.put("architecture", architecture.cliName);
        metrics.put("test_accuracy", testAccuracy);
        metrics.put("test_size", test.size());
        metrics.put("train_size", train.size());
        metrics.put("epochs", logs);
        metrics.put("train_seconds", seconds);
        metrics.put("train_images_per_second", train.size() * (double) options.epochs() / seconds);
        dir.writeMetrics(metrics);
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
        return new Result(model, metrics);
    }

    /** The trained model (open: close it) and its metrics. */
    public record Result(FoilModel model, Map<String, Object> metrics) {}
}
