package foil.run;

import foil.FoilException;
import foil.gan.GanNetworks;
import foil.gan.GanTrainer;
import foil.gan.GrowthSchedule;
import foil.gan.ProgressiveGan;
import foil.io.Json;
import foil.io.RunDirectory;
import foil.report.ImageRows;
import foil.report.Png;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pictures of a progressive-growing run: a sample grid at every quarter of each fade and at the end of every
 * stage ({@code samples-RRR-fade-AAA.png}, {@code samples-RRR-stable.png}), and the figure of the paper's kind, one
 * fixed set of latents rendered at the end of each resolution's training, a row per resolution ({@code growth.png};
 * the rows are kept in {@code growth.json}, so a resumed run still draws every resolution).
 */
final class GrowthFigures implements GanTrainer.Observer {
    static final String ROWS = "growth.json";
    static final int FIXED = 8;
    private final GrowthSchedule schedule;
    private final int batch;
    private final RunDirectory dir;
    private final long quarter;
    private final TreeMap<Integer, List<float[]>> rows = new TreeMap<>();

    GrowthFigures(ProgressiveGan nets, int batch, RunDirectory dir) {
        this.schedule = nets.growth();
        this.batch = batch;
        this.dir = dir;
        this.quarter = Math.max(1, schedule.phaseImages() / 4);
        read();
    }

    @Override
    public boolean wants(int iteration) {
        long now = (long) iteration * batch;
        long before = (long) (iteration - 1) * batch;
        return iteration > 0 && now / quarter != before / quarter && before < schedule.totalImages();
    }

    @Override
    public void observe(int iteration, GanNetworks n, Map<String, Object> line) {
        if (iteration == 0) {
            return;
        }
        ProgressiveGan nets = (ProgressiveGan) n;
        long shown = (long) iteration * batch;
        // the stage the last iteration trained in (the trainer moved the schedule to its first image); a stage's
        // last iteration may run past its end when the phase is not a multiple of the batch
        int stage = schedule.stage((long) (iteration - 1) * batch);
        int resolution = schedule.resolution(schedule.level(stage));
        boolean end = shown >= (stage + 1) * schedule.phaseImages();
        String name;
        if (stage % 2 == 1) {
            long into = Math.min(schedule.phaseImages(), shown - stage * schedule.phaseImages());
            name = String.format("samples-%03d-fade-%03d.png", resolution, Math.round(100.0 * into
                    / schedule.phaseImages()));
        } else if (end) {
            name = String.format("samples-%03d-stable.png", resolution);
        } else {
            return; // inside a stabilisation: its end is drawn
        }
        Png.write(GanImageJob.grid(nets, GanImageJob.GRID, GanImageJob.GRID_SEED), dir.resolve(name));
        if (end && stage % 2 == 0) {
            rows.put(resolution, fixedLatents(nets));
            write();
        }
    }

    private static List<float[]> fixedLatents(ProgressiveGan nets) {
        float[] images = GanImageJob.toUnit(nets.sample(FIXED, GanImageJob.GRID_SEED));
        int per = nets.imageSize();
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < FIXED; i++) {
            out.add(java.util.Arrays.copyOfRange(images, i * per, (i + 1) * per));
        }
        return out;
    }

    private void read() {
        Path file = dir.resolve(ROWS);
        if (!Files.isRegularFile(file)) {
            return;
        }
        try {
            @SuppressWarnings("unchecked")
            Map<String, List<List<Number>>> saved = Json.MAPPER.readValue(file.toFile(), Map.class);
            saved.forEach((res, images) -> {
                List<float[]> row = new ArrayList<>();
                for (List<Number> im : images) {
                    float[] f = new float[im.size()];
                    for (int i = 0; i < f.length; i++) {
                        f[i] = im.get(i).floatValue();
                    }
                    row.add(f);
                }
                rows.put(Integer.parseInt(res), row);
            });
        } catch (IOException | RuntimeException e) {
            throw new FoilException("cannot read " + file + " (" + FoilException.firstLine(e.getMessage())
                    + "): move it away to draw the growth figure again");
        }
    }

    private void write() {
        Map<String, Object> out = new java.util.LinkedHashMap<>();
        rows.forEach((res, images) -> out.put(Integer.toString(res), images));
        dir.writeJson(ROWS, out);
    }

    /** Draws growth.png from the rows so far. */
    void finish(ProgressiveGan nets) {
        if (rows.isEmpty()) {
            return;
        }
        List<ImageRows.Row> drawn = new ArrayList<>();
        rows.forEach((res, images) -> drawn.add(new ImageRows.Row(res + " x " + res + "\n(end of its training)", images,
                null, null, null)));
        Png.write(ImageRows.draw("The same " + FIXED + " latents at every resolution of progressive growing", drawn,
                nets.channels(), nets.height(), nets.width(), 2), dir.resolve("growth.png"));
    }
}
