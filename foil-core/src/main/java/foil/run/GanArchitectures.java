package foil.run;

import foil.data.DataSource;
import foil.data.ImageDataset;
import foil.gan.GanTrainer;
import foil.gan.NonSaturatingLoss;
import foil.gan.ProgressiveGan;
import foil.gan.StyleGan;
import foil.gan.WassersteinGpLoss;
import foil.io.RunDirectory;
import foil.metrics.FeatureSource;
import foil.model.FoilModel;
import foil.report.HtmlReport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's "GANs at scale": short runs of progressive growing (the growth figure) and of a StyleGAN (the mixing grid,
 * the noise figure and the mixing table), then FID, KID, precision and recall of DCGAN, progressive growing and
 * StyleGAN against the same test images, in the same feature network and at the same N. Each run has the settings of
 * {@code foil gan train} for its architecture; {@code images} sets how long (progressive growing spreads them over its
 * seven stages).
 */
public record GanArchitectures(DataSource data, long images, int n, int mixingPairs, long seed) {
    static final int BATCH = 32;

    /** Writes progressive/, stylegan/, stylegan-mix/ and gan-compare-ARCH/ under {@code root}. */
    public Map<String, Object> execute(RunDirectory root, FoilModel judgeModel, Path features, Path dcgan) {
        ImageDataset train = data.train();
        GanImageJob.Judge judge = new GanImageJob.Judge(judgeModel, judgeModel.describe());
        Map<String, Object> m = new LinkedHashMap<>();
        long phase = Math.max(BATCH, images / 7);
        ProgressiveGan.Settings ps = new ProgressiveGan.Settings(4, phase, 32, 64, 4);
        GanImageJob.Config pc = GanImageJob.Config.progressive(train, ps, BATCH);
        long growing = foil.gan.GrowthSchedule.forImages(train.height(), 4, phase).totalImages();
        m.put("progressive", train(root, "progressive", train, pc, new WassersteinGpLoss(10f).regularized(0.001f, 0, 1),
                growing, 1e-3f, (int) Math.max(1, phase / BATCH), judge));
        StyleGan.Settings ss = new StyleGan.Settings(64, 32, 4, 0.9, 4);
        m.put("stylegan", train(root, "stylegan", train, GanImageJob.Config.stylegan(train, ss, BATCH),
                new NonSaturatingLoss().regularized(0, 0.1f, 4), images, 2e-3f, iterations(images), judge));
        RunDirectory mix = GeneratorQuality.sub(root, "stylegan-mix", Map.of("model", "stylegan", "pairs", mixingPairs),
                seed, data);
        m.put("mixing", new MixingJob(root.resolve("stylegan"), 5, 6, 0, true, mixingPairs, 16, seed).execute(mix,
                judge));
        List<Map<String, Object>> table = new ArrayList<>();
        Map<String, Path> generators = new LinkedHashMap<>();
        if (dcgan != null && Files.isRegularFile(dcgan.resolve(GanTrainer.CHECKPOINT))) {
            generators.put("dcgan", dcgan);
        }
        generators.put("progressive", root.resolve("progressive"));
        generators.put("stylegan", root.resolve("stylegan"));
        for (Map.Entry<String, Path> g : generators.entrySet()) {
            RunDirectory eval = GeneratorQuality.sub(root, "gan-compare-" + g.getKey(), Map.of("model",
                    g.getValue().toString(), "n", n), seed, data);
            Map<String, Object> e = new FidJob(new FeatureSource.Dataset(data, false), new FeatureSource.Generator(
                    g.getValue()), features, "penultimate", data, n, 5, 100, Math.min(1000, n), 250, seed).execute(eval);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("arch", g.getKey());
            row.put("images_trained", imagesTrained(g.getValue()));
            for (String k : new String[] {"fid", "kid", "precision", "recall", "density", "coverage", "fid_floor",
                "kid_floor", "feature_network"}) {
                row.put(k, e.get(k));
            }
            table.add(row);
        }
        m.put("comparison", table);
        return m;
    }

    private static int iterations(long images) {
        return (int) Math.max(1, (images + BATCH - 1) / BATCH);
    }

    private static long imagesTrained(Path run) {
        GanImageJob.Config c = GanImageJob.config(run);
        return (long) GanTrainer.storedIteration(run) * (c.batch() != null ? c.batch() : 0);
    }

    private Map<String, Object> train(RunDirectory root, String name, ImageDataset train, GanImageJob.Config config,
            foil.gan.GanLoss loss, long shown, float lr, int logEvery, GanImageJob.Judge judge) {
        RunDirectory dir = GeneratorQuality.sub(root, name, Map.of("arch", config.arch(), "loss", loss.name(), "images",
                shown, "batch", BATCH), seed, data);
        GanTrainer.Options o = new GanTrainer.Options(loss, iterations(shown), BATCH, 1, lr, lr, 0f, 0.99f, seed,
                Integer.MAX_VALUE, logEvery).withEma(0.99f);
        return new GanImageJob(train, o, config, 0, false).execute(dir, judge);
    }

    /** The figures the demo's metrics.json keeps: the comparison and the mixing table. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> summary(Map<String, Object> m) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("comparison", m.get("comparison"));
        s.put("mixing", ((Map<String, Object>) m.get("mixing")).get("mixing"));
        return s;
    }

    /** The report's section. */
    @SuppressWarnings("unchecked")
    public static void section(HtmlReport r, String heading, Map<String, Object> m) {
        Map<String, Object> table = new LinkedHashMap<>();
        for (Map<String, Object> row : (List<Map<String, Object>>) m.get("comparison")) {
            table.put(row.get("arch") + " (" + row.get("images_trained") + " images)", String.format(
                    java.util.Locale.ROOT, "FID %.1f, KID %.4f, precision %.3f, recall %.3f (floor: FID %.1f, KID %.4f)",
                    num(row.get("fid")), num(row.get("kid")), num(row.get("precision")), num(row.get("recall")),
                    num(row.get("fid_floor")), num(row.get("kid_floor"))));
        }
        for (Map<String, Object> row : (List<Map<String, Object>>) ((Map<String, Object>) m.get("mixing"))
                .get("mixing")) {
            table.put("mixing at crossover " + row.get("crossover") + " (coarse styles up to "
                    + row.get("coarse_styles_up_to") + "px)", String.format(java.util.Locale.ROOT,
                    "keeps the coarse source's class %.2f, the fine source's %.2f", num(row.get("coarse_agreement")),
                    num(row.get("fine_agreement"))));
        }
        r.section(heading, "Short runs of the architectures that made GANs work at scale, at reduced widths. Progressive "
                + "growing (Karras et al. 2018): the networks grow 4x4 to 32x32 (images padded), each new block faded in; "
                + "the figure shows the same latents at the end of each resolution. StyleGAN2 (Karras et al. 2019, 2020): "
                + "a mapping network, a learned constant, modulated convolutions with per-layer styles and noise, trained "
                + "with style mixing. In the mixing grid, each row takes its coarse styles (4x4 and 8x8) from the row "
                + "source and its fine styles from the column source; the table measures which source's class the judge "
                + "sees in mixed images. The noise figure shows one w under different noise, and the per-pixel standard "
                + "deviation over draws: noise moves only detail. Last, the three generators scored on the same feature "
                + "network and N.", List.of("progressive/growth.png", "progressive/samples.png", "stylegan/samples.png",
                        "stylegan-mix/mixing.png", "stylegan-mix/mixing_agreement.png", "stylegan-mix/noise.png"),
                table);
    }

    private static double num(Object o) {
        return o instanceof Number x ? x.doubleValue() : Double.NaN;
    }
}
