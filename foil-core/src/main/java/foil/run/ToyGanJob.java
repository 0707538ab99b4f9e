package foil.run;

import foil.gan.GanLandscape;
import foil.gan.ToyGan;
import foil.metrics.EarthMovers;
import foil.report.Charts;
import foil.io.RunDirectory;
import foil.report.ToyGanFigures;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Trains the lecture's toy GAN and writes its frames, trajectory, discriminators and metrics. */
public record ToyGanJob(ToyGan.Options options, List<Integer> frames) {
    public static final String FRAMES = "frames.png";

    public Map<String, Object> execute(RunDirectory dir) {
        ToyGan.Result r = ToyGan.train(options, 10);
        List<ToyGan.Snapshot> shown = pick(r);
        ToyGanFigures.frames(dir.resolve(FRAMES), shown, options.mu(), options.theta0());
        ToyGanFigures.trajectory(dir.resolve("theta.png"), r);
        ToyGanFigures.optimalDiscriminator(dir.resolve("discriminator.png"), r);
        StringBuilder csv = new StringBuilder("iteration,theta,phi0,phi1,d_loss,g_loss\n");
        for (ToyGan.Snapshot s : r.history()) {
            csv.append(s.iteration()).append(',').append(s.theta()).append(',').append(s.phi0()).append(',')
                    .append(s.phi1()).append(',').append(s.dLoss()).append(',').append(s.gLoss()).append('\n');
        }
        dir.writeText("trajectory.csv", csv.toString());
        double[][] emd = emdCurve(r);
        Charts.lines(dir.resolve("emd.png"), "Earth mover's distance between generated and real samples", "iteration",
                "EMD (W1, 2000 samples each)", List.of(new Charts.Series("EMD", emd[0], emd[1], Charts.Line.SOLID,
                        null)), 0.0, null);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("theta", r.last().theta());
        m.put("mu", options.mu());
        m.put("theta_error", Math.abs(r.last().theta() - options.mu()));
        m.put("d_max_deviation", r.dMaxDeviation());
        m.put("phi0", r.last().phi0());
        m.put("phi1", r.last().phi1());
        m.put("iterations", r.stoppedAt());
        m.put("converged", r.converged());
        m.put("emd_final", emd[1][emd[1].length - 1]);
        m.put("loss", options.loss().cliName);
        m.put("frames", shown.stream().map(ToyGan.Snapshot::iteration).toList());
        dir.writeMetrics(m);
        return m;
    }

    /**
     * W1 between 2000 generated and 2000 real samples at (up to 200) recorded iterations, by the 1-D closed
     * form; the same noise at every iteration, so the curve shows the generator's progress, not resampling.
     */
    static double[][] emdCurve(ToyGan.Result r) {
        java.util.Random random = new java.util.Random(r.options().seed() + 1);
        int k = 2000;
        double[] z = new double[k];
        double[] real = new double[k];
        for (int i = 0; i < k; i++) {
            z[i] = random.nextGaussian();
            real[i] = r.options().mu() + random.nextGaussian();
        }
        List<ToyGan.Snapshot> h = r.history();
        int stride = Math.max(1, h.size() / 200);
        List<double[]> points = new ArrayList<>();
        for (int s = 0; s < h.size(); s += stride) {
            points.add(new double[] {h.get(s).iteration(), emdAt(h.get(s).theta(), z, real)});
        }
        if ((h.size() - 1) % stride != 0) {
            ToyGan.Snapshot last = r.last();
            points.add(new double[] {last.iteration(), emdAt(last.theta(), z, real)});
        }
        double[][] out = new double[2][points.size()];
        for (int i = 0; i < points.size(); i++) {
            out[0][i] = points.get(i)[0];
            out[1][i] = points.get(i)[1];
        }
        return out;
    }

    private static double emdAt(double theta, double[] z, double[] real) {
        double[] generated = new double[z.length];
        for (int i = 0; i < z.length; i++) {
            generated[i] = z[i] + theta;
        }
        return EarthMovers.samples1d(generated, real);
    }

    /** The snapshots nearest the asked iterations (negative: the last), or 0, 5%, 25% and the end. */
    private List<ToyGan.Snapshot> pick(ToyGan.Result r) {
        List<Integer> wanted = frames;
        if (wanted == null || wanted.isEmpty()) {
            int end = r.stoppedAt();
            wanted = List.of(0, Math.max(1, end / 20), Math.max(2, end / 4), -1);
        }
        List<ToyGan.Snapshot> out = new ArrayList<>();
        for (int w : wanted) {
            ToyGan.Snapshot best = r.last();
            if (w >= 0) {
                for (ToyGan.Snapshot s : r.history()) {
                    if (Math.abs(s.iteration() - w) < Math.abs(best.iteration() - w)) {
                        best = s;
                    }
                }
            }
            out.add(best);
        }
        return out;
    }

    /** The landscape figure and its path. */
    public static Map<String, Object> landscape(RunDirectory dir, double mu, double theta0, double lr, int steps) {
        GanLandscape land = new GanLandscape(mu);
        List<GanLandscape.Point> path = land.path(0.0, theta0, lr, steps);
        double range = Math.max(2.0, Math.abs(theta0 - mu) * 1.5);
        double phiRange = 0;
        for (GanLandscape.Point p : path) {
            phiRange = Math.max(phiRange, Math.abs(p.phi1()));
        }
        phiRange = Math.max(1.0, phiRange * 1.3);
        ToyGanFigures.landscape(dir.resolve("landscape.png"), land, path, phiRange, range);
        StringBuilder csv = new StringBuilder("step,phi1,theta,value\n");
        for (int i = 0; i < path.size(); i++) {
            GanLandscape.Point p = path.get(i);
            csv.append(i).append(',').append(p.phi1()).append(',').append(p.theta()).append(',').append(p.value())
                    .append('\n');
        }
        dir.writeText("path.csv", csv.toString());
        GanLandscape.Point end = path.get(path.size() - 1);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mu", mu);
        m.put("saddle_value", land.value(0, mu));
        m.put("log_4", -Math.log(4));
        m.put("final_phi1", end.phi1());
        m.put("final_theta", end.theta());
        m.put("final_distance_to_equilibrium", Math.hypot(end.phi1(), end.theta() - mu));
        m.put("start_distance_to_equilibrium", Math.abs(theta0 - mu));
        dir.writeMetrics(m);
        return m;
    }
}
