package foil.cli;

import foil.data.DataSource;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.run.GanImageJob;
import foil.run.MixingJob;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code foil gan mix}: StyleGAN's style-mixing grid, the table that measures it, and the noise figure. */
@Command(name = "mix", mixinStandardHelpOptions = true, showDefaultValues = true,
        description = {"Style mixing in a StyleGAN run (gan train --arch stylegan): mixing.png, the paper's grid (row "
                + "sources give the coarse styles before --crossover, column sources the fine ones, or the other way with "
                + "--coarse-from cols); noise.png, one w under different noise and the per-pixel std over draws; and "
                + "metrics.json's 'mixing' table: per crossover layer, how often the judge gives the mixed image the "
                + "class of the coarse source and of the fine source (over pairs whose sources differ in class)."})
final class GanMixCommand implements Callable<Integer> {
    @Mixin
    GanModelOption gan;

    @Option(names = "--rows", description = "Row sources in the grid.")
    int rows = 5;

    @Option(names = "--cols", description = "Column sources in the grid.")
    int cols = 6;

    @Option(names = "--crossover", description = "The grid's crossover layer: styles before it are the coarse ones "
            + "(default: those acting at 4x4 and 8x8).")
    int crossover;

    @Option(names = "--coarse-from", description = "Which sources give the coarse styles in the grid: rows or cols.")
    String coarseFrom = "rows";

    @Option(names = "--pairs", description = "Pairs of latents measured for the table.")
    int pairs = 500;

    @Option(names = "--noise-draws", description = "Noise draws for the standard-deviation image.")
    int noiseDraws = 32;

    @Option(names = "--judge", description = "A Foil classifier directory or TorchScript file that judges the classes "
            + "(default: the default feature network's classifier of --data).")
    Path judge;

    @Option(names = "--data", description = "Dataset whose default feature network judges, when no --judge is given.")
    String data = "fashion-mnist";

    @Mixin
    OutputOption output;

    @Mixin
    Common common;

    @Override
    public Integer call() {
        common.apply();
        boolean rowsCoarse = switch (coarseFrom) {
            case "rows" -> true;
            case "cols", "columns" -> false;
            default -> throw new foil.FoilException("--coarse-from must be rows or cols, not '" + coarseFrom + "'");
        };
        MixingJob job = new MixingJob(gan.model, rows, cols, crossover, rowsCoarse, pairs, noiseDraws, common.seed);
        GanImageJob.Config config = GanImageJob.config(gan.model);
        DataSource source = DataSource.locate(data);
        RunDirectory dir = common.startRun(output.out, source.describe());
        try (GanImageJob.Judge j = GanImageJob.Judge.of(judge, source, new ai.djl.ndarray.types.Shape(config.channels(),
                config.height(), config.imageWidth()))) {
            Map<String, Object> m = job.execute(dir, j);
            System.out.println(Json.line(m));
        }
        return 0;
    }
}
