package foil.cli;

import foil.FoilException;
import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.FoilModel;
import foil.probe.Synthesis;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.ProbeJob;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "probe", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = "What hidden units respond to (Szegedy et al. 2014, section 3): the test images that most excite "
                + "a unit of a layer, or a random direction in that layer's space, as rows of one figure (probe.png). "
                + "With neither --unit nor --random-direction: four live units beside four random directions.")
final class ProbeCommand implements Callable<Integer> {
    @Mixin
    ModelInput input;

    @Option(names = "--layer", description = "Layer to probe: a name of the model's layers (e.g. conv2, fc1, relu3) or "
            + "penultimate.")
    String layer = "penultimate";

    @Option(names = "--unit", split = ",", description = "Units (indices into the flattened layer) to probe.")
    List<Integer> units = List.of();

    @Option(names = "--random-direction", description = "Probe a random direction in the layer's space, drawn from "
            + "--seed (with --directions N: seeds S to S+N-1).")
    boolean randomDirection;

    @Option(names = "--directions", description = "How many random directions with --random-direction.")
    int directions = 1;

    @Option(names = "--top", description = "Images shown per direction.")
    int top = 8;

    @Option(names = "--n", description = "Probe the first N test images (default: all).")
    Integer n;

    @Option(names = "--synthesize", description = "Also synthesise the input that most excites each direction, by "
            + "gradient ascent from noise with a small penalty ‖x - 0.5‖².")
    boolean synthesize;

    @Option(names = "--synth-steps", description = "Gradient-ascent steps of --synthesize.")
    int synthSteps = 200;

    @Option(names = "--batch", description = "Batch size.")
    int batch = 256;

    @Mixin
    OutputOption output;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        if (top < 1 || top > 64 || batch < 1 || (n != null && n < 1) || directions < 1 || directions > 64) {
            throw new FoilException("--top must be in [1, 64], --directions in [1, 64], --n and --batch positive");
        }
        Synthesis synthesis = synthesize ? new Synthesis(synthSteps, Synthesis.defaults().stepSize(),
                Synthesis.defaults().penalty()) : null;
        ModelInput.Opened opened = input.open();
        DataSource source = opened.source();
        ImageDataset test = n == null ? opened.test() : opened.test().head(n);
        try (Classifier c = opened.classifier()) {
            FoilModel model = input.foilModel(c);
            if (directions != 1 && !randomDirection) {
                throw new FoilException("--directions counts random directions: add --random-direction");
            }
            int dims = foil.probe.Probe.units(model, model.resolveLayer(layer)); // rejects an unknown layer
            for (int k : units) {
                foil.probe.Direction.unit(k, dims); // rejects a unit outside the layer before anything is written
            }
            RunDirectory dir = common.startRun(output.out, source.describe());
            Map<String, Object> m = new ProbeJob(layer, units, randomDirection ? directions : 0, top, synthesis,
                    common.seed, batch).execute(model, test, source.classNames(c.numClasses()), dir);
            Map<String, Object> line = new LinkedHashMap<>(m);
            line.remove("rows");
            System.out.println(Json.line(line));
        }
        return 0;
    }
}
