package foil.cli;

import foil.features.NonRobustDataset;
import foil.features.RobustDataset;
import picocli.CommandLine.Option;

/** The settings of the robustified and non-robust datasets (Ilyas et al. 2019), as the commands take them. */
public final class DatasetOptions {
    private DatasetOptions() {}

    /** D_R: the representation matched and the descent. */
    public static class Robust {
        @Option(names = "--layer", description = "The representation matched.")
        String layer = "penultimate";

        @Option(names = "--steps", description = "Gradient steps per image.")
        int steps = 200;

        @Option(names = "--step-size", description = "L2 length of the first step (falls linearly to a tenth).")
        float stepSize = 0.5f;

        public RobustDataset spec() {
            return new RobustDataset(layer, steps, stepSize);
        }
    }

    /** D_NR: the budget, the targets and the PGD schedule. */
    public static class NonRobust {
        @Option(names = "--eps", required = true, description = "L2 radius of the perturbation.")
        float eps;

        @Option(names = "--targets", description = "random (another class at random, D_rand) or next ((y+1) mod "
                + "classes, D_det).")
        String targets = "random";

        @Option(names = "--steps", description = "PGD steps.")
        int steps = 100;

        @Option(names = "--step-size", description = "PGD step (default: 2.5*eps/steps).")
        Float stepSize;

        public NonRobustDataset spec() {
            NonRobustDataset.Targets t = NonRobustDataset.Targets.of(targets);
            return stepSize == null ? NonRobustDataset.of(eps, steps, t) : new NonRobustDataset(eps, steps, stepSize, t);
        }
    }
}
