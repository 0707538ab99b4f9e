package foil.run;

import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.gan.Dcgan;
import foil.gan.GanLoss;
import foil.gan.GanTrainer;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;

/** Times DCGAN training steps (one discriminator and one generator step per batch) on random images. */
public record GanBench(int batch, int steps, int width, long seed) {

    public Map<String, Object> execute() {
        GanTrainer.RealData random = new GanTrainer.RealData() {
            @Override
            public float[] sample(int n, Random r) {
                float[] x = new float[n * 28 * 28];
                for (int i = 0; i < x.length; i++) {
                    x[i] = 2 * r.nextFloat() - 1;
                }
                return x;
            }

            @Override
            public Shape shape() {
                return new Shape(1, 28, 28);
            }
        };
        try (Dcgan nets = new Dcgan(100, 1, width)) {
            GanLoss loss = GanLoss.of("nonsaturating");
            new GanTrainer(nets, random, options(loss, 3), null).train((i, n, l) -> { }); // warm-up
            double rssStart = AttackBench.residentMb();
            long start = System.nanoTime();
            new GanTrainer(nets, random, options(loss, steps), null).train((i, n, l) -> { });
            double seconds = (System.nanoTime() - start) / 1e9;
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "gan");
            out.put("arch", "dcgan");
            out.put("width", width);
            out.put("batch", batch);
            out.put("steps", steps);
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", 0));
            out.put("device", Foil.device().toString());
            out.put("seconds", seconds);
            out.put("images_per_second", (double) batch * steps / seconds);
            out.put("rss_start_mb", rssStart);
            out.put("rss_end_mb", AttackBench.residentMb());
            return out;
        }
    }

    private GanTrainer.Options options(GanLoss loss, int iterations) {
        return new GanTrainer.Options(loss, iterations, batch, 1, 2e-4f, 2e-4f, 0.5f, 0.999f, seed, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
    }
}
