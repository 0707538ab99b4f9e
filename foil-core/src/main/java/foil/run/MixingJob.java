package foil.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.FoilException;
import foil.gan.StyleGan;
import foil.gan.StyleGenerator;
import foil.gan.Truncation;
import foil.io.RunDirectory;
import foil.metrics.ClassHistogram;
import foil.report.Charts;
import foil.report.ImageRows;
import foil.report.Png;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Style mixing in a trained StyleGAN (Karras et al. 2019, Figures 3 and 4), shown and measured:
 * <ul>
 * <li>{@code mixing.png}: the grid of the paper. Column sources along the top, row sources down the left; each cell
 * takes the styles before {@code crossover} from one source (the coarse styles: pose, shape, class) and the rest
 * from the other (the fine styles: texture, shading).</li>
 * <li>the table in metrics.json ({@code mixing}): over {@code pairs} pairs of latents whose images the judge puts in
 * different classes, for each crossover layer, how often the mixed image keeps the judge's class of the coarse
 * source ({@code coarse_agreement}) and of the fine source ({@code fine_agreement}); also {@code mixing.png}'s
 * companion chart {@code mixing_agreement.png}.</li>
 * <li>{@code noise.png}: the same w with different noise draws, and the per-pixel standard deviation over
 * {@code noiseDraws} draws (Figure 4): the noise moves only stochastic detail.</li>
 * </ul>
 * Every image of a comparison is synthesised with the same noise draw (the engine reseeded), so only styles differ.
 */
public record MixingJob(Path generator, int rows, int cols, int crossover, boolean coarseFromRows, int pairs,
        int noiseDraws, long seed) {
    public MixingJob {
        if (rows < 1 || cols < 1 || rows > 16 || cols > 16) {
            throw new FoilException("--rows and --cols must be between 1 and 16");
        }
        if (pairs < 10 || noiseDraws < 2) {
            throw new FoilException("--pairs must be at least 10 and --noise-draws at least 2");
        }
    }

    public Map<String, Object> execute(RunDirectory dir, GanImageJob.Judge judge) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (foil.gan.ImageGan opened = GanImageJob.open(generator)) {
            if (!(opened instanceof StyleGan nets)) {
                throw new FoilException(generator + " holds a " + GanImageJob.config(generator).arch() + " run: style "
                        + "mixing needs --arch stylegan");
            }
            int styles = nets.styles();
            int cut = crossover > 0 ? crossover : nets.coarseStyles();
            if (cut < 1 || cut >= styles) {
                throw new FoilException("--crossover must be between 1 and " + (styles - 1) + " (the generator has "
                        + styles + " styles), not " + crossover);
            }
            grid(dir, nets, cut);
            noise(dir, nets);
            List<Map<String, Object>> table = table(nets, judge);
            m.put("generator", generator.toString());
            m.put("generator_weights", nets.generatorWeights());
            m.put("styles", styles);
            m.put("style_resolutions", java.util.stream.IntStream.range(0, styles).map(nets.synthesis()::resolutionOf)
                    .toArray());
            m.put("grid_crossover", cut);
            m.put("grid_coarse_from", coarseFromRows ? "rows" : "columns");
            m.put("judge", judge.name());
            m.put("mixing", table);
            double[] x = new double[table.size()];
            double[] coarse = new double[table.size()];
            double[] fine = new double[table.size()];
            for (int i = 0; i < table.size(); i++) {
                x[i] = ((Number) table.get(i).get("crossover")).doubleValue();
                coarse[i] = table.get(i).get("coarse_agreement") instanceof Number c ? c.doubleValue() : Double.NaN;
                fine[i] = table.get(i).get("fine_agreement") instanceof Number f ? f.doubleValue() : Double.NaN;
            }
            Charts.lines(dir.resolve("mixing_agreement.png"), "Which source's class the mixed image keeps",
                    "crossover layer (styles before it from the coarse source)", "fraction of pairs",
                    List.of(new Charts.Series("coarse source's class", x, coarse, Charts.Line.SOLID, null),
                            new Charts.Series("fine source's class", x, fine, Charts.Line.SOLID, null)), 0.0, 1.0);
        }
        dir.writeMetrics(m);
        return m;
    }

    /** Images of n style stacks (n × styles × latent) with the engine's noise reseeded: the same draw for each call. */
    private float[] images(StyleGan nets, NDArray ws) {
        Foil.seed(seed + 99);
        return GanImageJob.toUnit(nets.synthesis().synthesize(ws, StyleGenerator.NoiseSource.ENGINE).toFloatArray());
    }

    private NDArray styles(StyleGan nets, NDManager m, int n, long s) {
        float[] z = Truncation.NONE.latents(n, nets.latent(), s);
        StyleGenerator g = nets.synthesis();
        return g.broadcast(g.map(m.create(z, new Shape(n, nets.latent()))));
    }

    private void grid(RunDirectory dir, StyleGan nets, int cut) {
        try (NDManager m = nets.manager().newSubManager()) {
            NDArray a = styles(nets, m, rows, seed);
            NDArray b = styles(nets, m, cols, seed + 1);
            int per = nets.imageSize();
            float[] rowImages = images(nets, a);
            float[] colImages = images(nets, b);
            List<ImageRows.Row> out = new ArrayList<>();
            List<float[]> top = new ArrayList<>();
            for (int j = 0; j < cols; j++) {
                top.add(Arrays.copyOfRange(colImages, j * per, (j + 1) * per));
            }
            out.add(new ImageRows.Row("column sources\n(" + (coarseFromRows ? "fine" : "coarse") + " styles)", top, null,
                    null, null));
            for (int i = 0; i < rows; i++) {
                NDArray rowStyles = a.get(i + ":" + (i + 1)).repeat(0, cols);
                float[] mixed = images(nets, coarseFromRows ? StyleGan.mix(rowStyles, b, cut) : StyleGan.mix(b,
                        rowStyles, cut));
                List<float[]> cells = new ArrayList<>();
                for (int j = 0; j < cols; j++) {
                    cells.add(Arrays.copyOfRange(mixed, j * per, (j + 1) * per));
                }
                out.add(new ImageRows.Row("row source " + (i + 1) + "\n(" + (coarseFromRows ? "coarse" : "fine")
                        + " styles)", cells, null, Arrays.copyOfRange(rowImages, i * per, (i + 1) * per),
                        "row source"));
            }
            Png.write(ImageRows.draw(String.format("Style mixing: styles 0-%d (%s) from the %s, %d-%d from the %s", cut - 1,
                    "up to " + nets.synthesis().resolutionOf(cut - 1) + "x" + nets.synthesis().resolutionOf(cut - 1),
                    coarseFromRows ? "row" : "column", cut, nets.styles() - 1, coarseFromRows ? "column" : "row"), out,
                    nets.channels(), nets.height(), nets.width(), 2), dir.resolve("mixing.png"));
        }
    }

    private void noise(RunDirectory dir, StyleGan nets) {
        int shownDraws = 4;
        int latents = Math.min(rows, 4);
        int per = nets.imageSize();
        List<ImageRows.Row> out = new ArrayList<>();
        try (NDManager m = nets.manager().newSubManager()) {
            NDArray ws = styles(nets, m, latents, seed);
            StyleGenerator g = nets.synthesis();
            double[][] sum = new double[latents][per];
            double[][] squares = new double[latents][per];
            List<List<float[]>> shown = new ArrayList<>();
            for (int i = 0; i < latents; i++) {
                shown.add(new ArrayList<>());
            }
            Foil.seed(seed + 7);
            for (int d = 0; d < noiseDraws; d++) {
                float[] images = GanImageJob.toUnit(g.synthesize(ws, StyleGenerator.NoiseSource.ENGINE).toFloatArray());
                for (int i = 0; i < latents; i++) {
                    for (int p = 0; p < per; p++) {
                        double v = images[i * per + p];
                        sum[i][p] += v;
                        squares[i][p] += v * v;
                    }
                    if (d < shownDraws) {
                        shown.get(i).add(Arrays.copyOfRange(images, i * per, (i + 1) * per));
                    }
                }
            }
            for (int i = 0; i < latents; i++) {
                float[] sd = new float[per];
                double max = 1e-12;
                for (int p = 0; p < per; p++) {
                    double mean = sum[i][p] / noiseDraws;
                    sd[p] = (float) Math.sqrt(Math.max(0, squares[i][p] / noiseDraws - mean * mean));
                    max = Math.max(max, sd[p]);
                }
                for (int p = 0; p < per; p++) {
                    sd[p] = (float) (sd[p] / max); // shown scaled to its maximum
                }
                out.add(new ImageRows.Row("latent " + (i + 1) + "\n" + shownDraws + " noise draws", shown.get(i), null, sd,
                        String.format("std, max %.3f", max)));
            }
        }
        Png.write(ImageRows.draw("The same w with different noise; right: per-pixel std over " + noiseDraws + " draws",
                out, nets.channels(), nets.height(), nets.width(), 2), dir.resolve("noise.png"));
    }

    /** For each crossover layer, the judge's agreement of the mixed image with each source (pairs of unlike class). */
    private List<Map<String, Object>> table(StyleGan nets, GanImageJob.Judge judge) {
        int styles = nets.styles();
        int[] keepCoarse = new int[styles];
        int[] keepFine = new int[styles];
        int counted = 0;
        int batch = 50;
        for (int done = 0; done < pairs; done += batch) {
            int n = Math.min(batch, pairs - done);
            try (NDManager m = nets.manager().newSubManager()) {
                NDArray a = styles(nets, m, n, seed + 1000 + 2L * done);
                NDArray b = styles(nets, m, n, seed + 1001 + 2L * done);
                int[] ca = ClassHistogram.predict(judge.classifier(), images(nets, a), n);
                int[] cb = ClassHistogram.predict(judge.classifier(), images(nets, b), n);
                for (int c = 1; c < styles; c++) {
                    int[] mixed = ClassHistogram.predict(judge.classifier(), images(nets, StyleGan.mix(a, b, c)), n);
                    for (int i = 0; i < n; i++) {
                        if (ca[i] != cb[i]) {
                            keepCoarse[c] += mixed[i] == ca[i] ? 1 : 0;
                            keepFine[c] += mixed[i] == cb[i] ? 1 : 0;
                        }
                    }
                }
                for (int i = 0; i < n; i++) {
                    counted += ca[i] != cb[i] ? 1 : 0;
                }
            }
        }
        List<Map<String, Object>> table = new ArrayList<>();
        for (int c = 1; c < styles; c++) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("crossover", c);
            row.put("coarse_styles_up_to", nets.synthesis().resolutionOf(c - 1));
            // no pair of unlike sources (a collapsed generator, or a judge not for this data): nothing to measure
            row.put("coarse_agreement", counted == 0 ? null : (double) keepCoarse[c] / counted);
            row.put("fine_agreement", counted == 0 ? null : (double) keepFine[c] / counted);
            row.put("pairs", counted);
            table.add(row);
        }
        return table;
    }
}
