package foil.cli;

import foil.gan.ToyGan;
import foil.report.Json;
import foil.report.RunDirectory;
import foil.run.ToyGanJob;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "gan", mixinStandardHelpOptions = true, description = "Generative adversarial networks.",
        subcommands = {GanCommand.Toy.class, GanCommand.Landscape.class})
final class GanCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    @Command(name = "toy", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "The lecture's 1-D GAN: x* = z + theta against a logistic-regression discriminator; frames "
                    + "in the style of Goodfellow et al. (2014), Figure 1.")
    static final class Toy implements Callable<Integer> {
        @Option(names = "--mu", description = "Mean of the real data N(mu, 1).")
        double mu = 3;

        @Option(names = "--theta0", description = "The generator's starting shift.")
        double theta0 = 0;

        @Option(names = "--iters", description = "Most GAN iterations (it stops once D is no better than chance).")
        int iters = 20_000;

        @Option(names = "--d-steps", description = "Discriminator steps per iteration.")
        int dSteps = 5;

        @Option(names = "--g-steps", description = "Generator steps per iteration.")
        int gSteps = 1;

        @Option(names = "--lr", description = "Generator learning rate (the discriminator's is twice it).")
        double lr = 0.05;

        @Option(names = "--batch", description = "Samples of each side per step.")
        int batch = 256;

        @Option(names = "--loss", description = "Generator loss: minimax (saturating) or nonsaturating.")
        String loss = "minimax";

        @Option(names = "--tolerance", description = "'No better than chance': |theta - mu| and max |D - 0.5| below it.")
        double tolerance = 0.05;

        @Option(names = "--frames", split = ",", description = "Iterations to draw (-1: the last; default 0, 5%, 25%, end).")
        List<Integer> frames;

        @Option(names = "--out", required = true, description = "Run directory to write.")
        Path out;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            ToyGan.Options o = new ToyGan.Options(mu, theta0, iters, dSteps, gSteps, 2 * lr, lr, batch,
                    ToyGan.GeneratorLoss.of(loss), tolerance, common.seed);
            RunDirectory dir = RunDirectory.create(out, common.force);
            Map<String, Object> options = new LinkedHashMap<>();
            options.put("toy", o);
            options.put("frames", frames);
            dir.writeRun("gan toy", Cli.args(), options, common.seed, Map.of("real", "N(" + mu + ", 1)"));
            System.out.println(Json.line(new ToyGanJob(o, frames).execute(dir)));
            return 0;
        }
    }

    @Command(name = "landscape", mixinStandardHelpOptions = true, showDefaultValues = true,
            description = "The GAN value over (discriminator slope, generator theta) with the path of alternating "
                    + "gradient steps: the equilibrium is a saddle and the steps circle it.")
    static final class Landscape implements Callable<Integer> {
        @Option(names = "--mu", description = "Mean of the real data N(mu, 1).")
        double mu = 3;

        @Option(names = "--theta0", description = "The generator's starting shift.")
        double theta0 = 1;

        @Option(names = "--lr", description = "Step size of both players.")
        double lr = 0.5;

        @Option(names = "--steps", description = "Alternating steps drawn.")
        int steps = 400;

        @Option(names = "--out", required = true, description = "Run directory to write.")
        Path out;

        @Mixin
        Common common;

        @Override
        public Integer call() {
            common.apply();
            if (!(lr > 0 && lr <= 10) || steps < 1 || steps > 1_000_000 || !Double.isFinite(mu)
                    || !Double.isFinite(theta0)) {
                throw new foil.FoilException("--lr must be in (0, 10], --steps in [1, 1000000], --mu and --theta0 finite");
            }
            RunDirectory dir = RunDirectory.create(out, common.force);
            dir.writeRun("gan landscape", Cli.args(), Map.of("mu", mu, "theta0", theta0, "lr", lr, "steps", steps),
                    common.seed, Map.of("real", "N(" + mu + ", 1)"));
            System.out.println(Json.line(ToyGanJob.landscape(dir, mu, theta0, lr, steps)));
            return 0;
        }
    }
}
