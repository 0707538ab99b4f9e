package foil.report;

import foil.gan.GanLandscape;
import foil.gan.ToyGan;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The toy GAN's figures: frames in the style of Goodfellow et al. (2014), Figure 1, and the landscape. */
public final class ToyGanFigures {
    private static final Color GREEN = new Color(0, 140, 60);
    private static final Color BLUE = new Color(30, 80, 200);

    private ToyGanFigures() {}

    /**
     * One frame: the real density dotted (black), the generator's density solid (green), the
     * discriminator dashed (blue), over a range that shows both distributions.
     */
    public static BufferedImage frame(ToyGan.Snapshot s, double mu, double lo, double hi, String label) {
        int n = 241;
        double[] x = new double[n];
        double[] real = new double[n];
        double[] gen = new double[n];
        double[] d = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = lo + (hi - lo) * i / (n - 1);
            real[i] = ToyGan.gaussian(x[i], mu);
            gen[i] = ToyGan.gaussian(x[i], s.theta());
            d[i] = s.discriminator(x[i]);
        }
        List<Charts.Series> series = List.of(
                new Charts.Series("data p_data", x, real, Charts.Line.DOTTED, Color.BLACK),
                new Charts.Series("generator p_g", x, gen, Charts.Line.SOLID, GREEN),
                new Charts.Series("discriminator D", x, d, Charts.Line.DASHED, BLUE));
        return Charts.render(new Charts.Frame(label + ": iteration " + s.iteration() + String.format(", theta %.3f",
                s.theta()), "x", "", 0.0, 1.0, 480, 360), series);
    }

    /** Frames at the given snapshots, side by side, as one PNG. */
    public static void frames(Path path, List<ToyGan.Snapshot> snapshots, double mu, double theta0) {
        double lo = Math.min(mu, theta0) - 4;
        double hi = Math.max(mu, theta0) + 4;
        List<BufferedImage> images = new ArrayList<>();
        char label = 'a';
        for (ToyGan.Snapshot s : snapshots) {
            images.add(frame(s, mu, lo, hi, "(" + label++ + ")"));
        }
        Png.write(Charts.tile(images, 4), path);
    }

    /** theta and the discriminator's parameters against iterations. */
    public static void trajectory(Path path, ToyGan.Result r) {
        List<ToyGan.Snapshot> h = r.history();
        double[] it = new double[h.size()];
        double[] theta = new double[h.size()];
        double[] phi1 = new double[h.size()];
        double[] mu = new double[h.size()];
        for (int i = 0; i < h.size(); i++) {
            it[i] = h.get(i).iteration();
            theta[i] = h.get(i).theta();
            phi1[i] = h.get(i).phi1();
            mu[i] = r.options().mu();
        }
        Charts.lines(path, "theta's trajectory (" + r.options().loss().cliName + " loss)", "iteration", "value",
                List.of(new Charts.Series("theta", it, theta, Charts.Line.SOLID, GREEN),
                        new Charts.Series("mu", it, mu, Charts.Line.DOTTED, Color.BLACK),
                        new Charts.Series("phi1 (D slope)", it, phi1, Charts.Line.DASHED, BLUE)), null, null);
    }

    /** The learned discriminator beside the optimal one, D* = p_data/(p_data + p_g), at the final theta. */
    public static void optimalDiscriminator(Path path, ToyGan.Result r) {
        ToyGan.Snapshot s = r.last();
        double mu = r.options().mu();
        int n = 241;
        double[] x = new double[n];
        double[] learned = new double[n];
        double[] optimal = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = mu - 4 + 8.0 * i / (n - 1);
            learned[i] = s.discriminator(x[i]);
            optimal[i] = ToyGan.optimalDiscriminator(x[i], mu, s.theta());
        }
        Charts.lines(path, String.format("Discriminators at the final theta %.3f (mu %.3f)", s.theta(), mu), "x", "D(x)",
                List.of(new Charts.Series("learned D", x, learned, Charts.Line.DASHED, BLUE),
                        new Charts.Series("optimal D* = p_data/(p_data+p_g)", x, optimal, Charts.Line.SOLID, Color.RED)),
                0.0, 1.0);
    }

    /** The value V(phi1, theta) as a colour map, with the path of alternating steps and the saddle. */
    public static void landscape(Path path, GanLandscape land, List<GanLandscape.Point> steps, double phiRange,
            double thetaRange) {
        int w = 640;
        int h = 520;
        int left = 70;
        int top = 40;
        int pw = 480;
        int ph = 420;
        double mu = land.mu();
        double[][] v = new double[ph][pw];
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                v[j][i] = land.value(-phiRange + 2 * phiRange * i / (pw - 1),
                        mu + thetaRange - 2 * thetaRange * j / (ph - 1));
                min = Math.min(min, v[j][i]);
                max = Math.max(max, v[j][i]);
            }
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        double saddle = land.value(0, mu);
        for (int j = 0; j < ph; j++) {
            for (int i = 0; i < pw; i++) {
                double t = v[j][i] >= saddle ? (v[j][i] - saddle) / Math.max(1e-12, max - saddle)
                        : -(saddle - v[j][i]) / Math.max(1e-12, saddle - min);
                int band = (int) Math.floor(t * 10);
                boolean contour = i > 0 && band != (int) Math.floor(((v[j][i - 1] >= saddle
                        ? (v[j][i - 1] - saddle) / Math.max(1e-12, max - saddle)
                        : -(saddle - v[j][i - 1]) / Math.max(1e-12, saddle - min))) * 10);
                img.setRGB(left + i, top + j, contour ? 0x555555 : diverging(t));
            }
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1.5f));
        int[] px = new int[steps.size()];
        int[] py = new int[steps.size()];
        for (int k = 0; k < steps.size(); k++) {
            px[k] = left + (int) Math.round((steps.get(k).phi1() + phiRange) / (2 * phiRange) * (pw - 1));
            py[k] = top + (int) Math.round((mu + thetaRange - steps.get(k).theta()) / (2 * thetaRange) * (ph - 1));
        }
        g.setClip(left, top, pw, ph);
        g.drawPolyline(px, py, steps.size());
        g.fillOval(px[0] - 4, py[0] - 4, 8, 8);
        g.setClip(null);
        int sx = left + (pw - 1) / 2;
        int sy = top + (ph - 1) / 2;
        g.setColor(Color.WHITE);
        g.fillOval(sx - 6, sy - 6, 12, 12);
        g.setColor(Color.BLACK);
        g.drawOval(sx - 6, sy - 6, 12, 12);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString("GAN value V(phi1, theta): a saddle at the Nash equilibrium", left, 24);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.drawString("discriminator slope phi1 (D ascends)", left + 120, top + ph + 30);
        g.drawString(String.format("%.1f", -phiRange), left - 10, top + ph + 15);
        g.drawString(String.format("%.1f", phiRange), left + pw - 15, top + ph + 15);
        g.drawString(String.format("%.1f", mu + thetaRange), 10, top + 10);
        g.drawString(String.format("%.1f", mu - thetaRange), 10, top + ph);
        g.drawString("theta", 15, top + ph / 2 - 10);
        g.drawString("(G descends)", 2, top + ph / 2 + 6);
        g.drawString("equilibrium (0, mu)", sx + 10, sy - 8);
        g.drawString("blue: V below the saddle value, red: above; black: the path of alternating steps", left,
                top + ph + 48);
        g.dispose();
        Png.write(img, path);
    }

    private static int diverging(double t) {
        t = Math.max(-1, Math.min(1, t));
        int r;
        int gr;
        int b;
        if (t >= 0) {
            r = 255;
            gr = (int) (255 * (1 - 0.75 * t));
            b = (int) (255 * (1 - 0.85 * t));
        } else {
            r = (int) (255 * (1 + 0.85 * t));
            gr = (int) (255 * (1 + 0.6 * t));
            b = 255;
        }
        return (r << 16) | (gr << 8) | b;
    }
}
