package foil.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.training.DefaultTrainingConfig;
import ai.djl.training.GradientCollector;
import ai.djl.training.Trainer;
import ai.djl.training.loss.Loss;
import ai.djl.training.optimizer.Adam;
import ai.djl.training.tracker.Tracker;
import foil.data.ImageDataset;
import foil.io.Progress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Standard training of a {@link FoilModel} by Adam on softmax cross-entropy, with shuffled mini-batches. */
public final class ClassifierTrainer {
    private ClassifierTrainer() {}

    /** One epoch's figures. */
    public record EpochLog(int epoch, double trainLoss, double trainAccuracy) {}

    /** Trains {@code model} on {@code data}; returns one log per epoch. */
    public static List<EpochLog> train(FoilModel model, ImageDataset data, TrainOptions options) {
        return train(model, data, options, null);
    }

    /**
     * Trains {@code model}, each batch made adversarial first when {@code adv} is given (the training attack
     * runs in the mode {@link foil.defense.AdversarialTraining} says, then the update in training mode); TRADES adds
     * beta·KL(f(x) ‖ f(x')) to the clean loss.
     */
    public static List<EpochLog> train(FoilModel model, ImageDataset data, TrainOptions options,
            foil.defense.AdversarialTraining adv) {
        foil.Foil.seed(options.seed());
        Random random = new Random(options.seed());
        model.setTrainable(true);
        int n = data.size();
        int batches = (n + options.batch() - 1) / options.batch();
        // cosine decay to 1% of the rate over the whole run: most of the gain of a schedule in few epochs
        Tracker rate = ai.djl.training.tracker.CosineTracker.builder().setBaseValue(options.learningRate())
                .optFinalValue(options.learningRate() * 0.01f).setMaxUpdates(batches * options.epochs()).build();
        DefaultTrainingConfig config = new DefaultTrainingConfig(Loss.softmaxCrossEntropyLoss())
                .optOptimizer(Adam.builder().optLearningRateTracker(rate)
                        .optWeightDecays(options.weightDecay()).build())
                .optDevices(new ai.djl.Device[] {model.djlModel().getNDManager().getDevice()});
        List<EpochLog> logs = new ArrayList<>();
        try (Trainer trainer = model.djlModel().newTrainer(config)) {
            for (int epoch = 1; epoch <= options.epochs(); epoch++) {
                int[] order = permutation(n, random);
                double lossSum = 0;
                long correct = 0;
                try (Progress bar = Progress.start("train epoch " + epoch + "/" + options.epochs(), batches)) {
                    for (int from = 0; from < n; from += options.batch()) {
                        int to = Math.min(n, from + options.batch());
                        try (NDManager scope = trainer.getManager().newSubManager()) {
                            NDArray x = data.images(scope, order, from, to);
                            NDArray y = data.labels(scope, order, from, to);
                            NDArray xa = null;
                            if (adv != null) {
                                xa = adv.perturb(model, x, y);
                                model.setTrainable(true);
                            }
                            boolean trades = adv != null && adv.method() == foil.defense.AdversarialTraining.Method.TRADES;
                            try (GradientCollector gc = trainer.newGradientCollector()) {
                                NDArray input = xa == null || trades ? x : xa;
                                NDArray logits = trainer.forward(new NDList(input)).singletonOrThrow();
                                NDArray loss = trainer.getLoss().evaluate(new NDList(y), new NDList(logits));
                                if (trades) {
                                    NDArray advLogits = trainer.forward(new NDList(xa)).singletonOrThrow();
                                    NDArray kl = foil.defense.TradesPerturbation.kl(logits.softmax(1), advLogits).mean();
                                    loss = loss.add(kl.mul(adv.tradesBeta()));
                                }
                                gc.backward(loss);
                                lossSum += loss.getFloat() * (to - from);
                                correct += logits.argMax(1).eq(y).countNonzero().getLong();
                            }
                            trainer.step();
                        }
                        bar.step(1);
                        bar.message(String.format("loss %.4f", lossSum / Math.max(1, to)));
                    }
                }
                logs.add(new EpochLog(epoch, lossSum / n, (double) correct / n));
            }
        }
        model.setTrainable(false);
        return logs;
    }

    static int[] permutation(int n, Random random) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    /** Accuracy of a classifier on a dataset, in batches under one scope each. */
    public static double accuracy(Classifier classifier, ImageDataset data, int batch) {
        long correct = 0;
        try (NDManager root = NDManager.newBaseManager(foil.Foil.device())) {
            for (int from = 0; from < data.size(); from += batch) {
                int to = Math.min(data.size(), from + batch);
                try (NDManager scope = root.newSubManager()) {
                    NDArray x = data.images(scope, from, to);
                    NDArray y = data.labels(scope, from, to);
                    correct += classifier.logits(x).argMax(1).eq(y).countNonzero().getLong();
                }
            }
        }
        return (double) correct / data.size();
    }
}
