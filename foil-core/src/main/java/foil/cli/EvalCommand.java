package foil.cli;

import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.ClassifierTrainer;
import foil.io.Json;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "eval", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "Report a model's accuracy on a dataset's test set (one JSON line).")
final class EvalCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--n", description = "Evaluate the first N test images (0: all).")
    int n = 0;

    @Option(names = "--batch", description = "Batch size.")
    int batch = 500;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        if (n < 0 || batch < 1) {
            throw new foil.FoilException("--n must be >= 0 and --batch >= 1");
        }
        ModelInput.Opened opened = input.open();
        ImageDataset test = n > 0 ? opened.test().head(n) : opened.test();
        try (Classifier c = opened.classifier()) {
            double acc = ClassifierTrainer.accuracy(c, test, batch);
            Map<String, Object> line = new LinkedHashMap<>();
            line.put("model", c.describe());
            line.put("data", test.name());
            line.put("n", test.size());
            line.put("accuracy", acc);
            System.out.println(Json.line(line));
        }
        return 0;
    }
}
