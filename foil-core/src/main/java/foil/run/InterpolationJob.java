package foil.run;

import foil.FoilException;
import foil.gan.Interpolation;
import foil.gan.Truncation;
import foil.metrics.FeatureNetwork;
import foil.report.ImageRows;
import foil.report.Png;
import foil.io.RunDirectory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Paths through a generator's latent space, drawn as a grid (one row per pair of latents, endpoints exactly G(z0)
 * and G(z1)), and the perceptual path length of Karras et al. (2019) in the feature network's space: the mean,
 * over random pairs and positions t, of |φ(G(p(t))) - φ(G(p(t + ε)))|² / ε², with the 1st to 99th percentiles
 * kept, for lerp and slerp. The generator runs in inference mode (batch norm's running statistics), so an image
 * does not depend on the others in its batch.
 */
public record InterpolationJob(Path generator, int pairs, int steps, Interpolation method, int pplSamples,
        double epsilon, int batch, long seed) {
    public InterpolationJob {
        if (pairs < 1 || steps < 2 || pplSamples < 2 || !(epsilon > 0) || batch < 1) {
            throw new FoilException("--pairs must be positive, --steps at least 2, --ppl-samples at least 2, "
                    + "--epsilon and --batch positive");
        }
    }

    public Map<String, Object> execute(RunDirectory dir, FeatureNetwork net) {
        Map<String, Object> m = new LinkedHashMap<>();
        try (foil.gan.ImageGan nets = GanImageJob.open(generator)) {
            int latent = nets.latent();
            float[] ends = Truncation.NONE.latents(2 * pairs, latent, seed);
            List<ImageRows.Row> rows = new ArrayList<>();
            double endpointError = 0;
            for (int p = 0; p < pairs; p++) {
                float[] z0 = Arrays.copyOfRange(ends, 2 * p * latent, (2 * p + 1) * latent);
                float[] z1 = Arrays.copyOfRange(ends, (2 * p + 1) * latent, (2 * p + 2) * latent);
                float[] path = new float[steps * latent];
                for (int s = 0; s < steps; s++) {
                    System.arraycopy(method.at(z0, z1, (double) s / (steps - 1)), 0, path, s * latent, latent);
                }
                float[] images = GanImageJob.toUnit(nets.sampleInference(path, steps));
                int size = images.length / steps;
                float[] direct = GanImageJob.toUnit(nets.sampleInference(concat(z0, z1), 2));
                for (int i = 0; i < size; i++) {
                    endpointError = Math.max(endpointError, Math.abs(images[i] - direct[i]));
                    endpointError = Math.max(endpointError, Math.abs(images[(steps - 1) * size + i] - direct[size + i]));
                }
                List<float[]> shown = new ArrayList<>();
                for (int s = 0; s < steps; s++) {
                    shown.add(Arrays.copyOfRange(images, s * size, (s + 1) * size));
                }
                rows.add(new ImageRows.Row("pair " + (p + 1), shown, null, null, null));
            }
            Png.write(ImageRows.draw("Interpolation (" + method.name().toLowerCase(java.util.Locale.ROOT) + ")", rows,
                    nets.channels(), nets.height(), nets.width(), 2), dir.resolve("interpolation.png"));
            m.put("method", method.name().toLowerCase(java.util.Locale.ROOT));
            m.put("generator_weights", nets.generatorWeights());
            m.put("pairs", pairs);
            m.put("steps", steps);
            m.put("endpoint_error", endpointError);
            for (Interpolation how : Interpolation.values()) {
                m.put("ppl_" + how.name().toLowerCase(java.util.Locale.ROOT), pathLength(nets, net, how));
            }
        }
        m.put("ppl_samples", pplSamples);
        m.put("epsilon", epsilon);
        m.put("feature_network", net.name());
        m.put("sampling", "inference mode: batch norm with its running statistics");
        dir.writeMetrics(m);
        return m;
    }

    /** The perceptual path length: the mean of the 1st to 99th percentiles of the scaled squared distances. */
    double pathLength(foil.gan.ImageGan nets, FeatureNetwork net, Interpolation how) {
        int latent = nets.latent();
        Random random = new Random(seed + 17);
        double[] d = new double[pplSamples];
        for (int from = 0; from < pplSamples; from += batch) {
            int b = Math.min(batch, pplSamples - from);
            float[] ends = Truncation.NONE.latents(2 * b, latent, seed + 1000 + from);
            float[] z = new float[2 * b * latent]; // rows 2i and 2i + 1: p(t) and p(t + ε)
            for (int i = 0; i < b; i++) {
                float[] z0 = Arrays.copyOfRange(ends, 2 * i * latent, (2 * i + 1) * latent);
                float[] z1 = Arrays.copyOfRange(ends, (2 * i + 1) * latent, (2 * i + 2) * latent);
                double t = random.nextDouble() * (1 - epsilon);
                System.arraycopy(how.at(z0, z1, t), 0, z, 2 * i * latent, latent);
                System.arraycopy(how.at(z0, z1, t + epsilon), 0, z, (2 * i + 1) * latent, latent);
            }
            float[][] f = net.features(GanImageJob.toUnit(nets.sampleInference(z, 2 * b)), 2 * b, 2 * b);
            for (int i = 0; i < b; i++) {
                double s = 0;
                for (int j = 0; j < f[2 * i].length; j++) {
                    double diff = f[2 * i][j] - f[2 * i + 1][j];
                    s += diff * diff;
                }
                d[from + i] = s / (epsilon * epsilon);
            }
        }
        double[] sorted = d.clone();
        Arrays.sort(sorted);
        double lo = sorted[(int) Math.floor(0.01 * (sorted.length - 1))];
        double hi = sorted[(int) Math.ceil(0.99 * (sorted.length - 1))];
        double sum = 0;
        int count = 0;
        for (double v : d) {
            if (v >= lo && v <= hi) {
                sum += v;
                count++;
            }
        }
        return sum / count;
    }

    private static float[] concat(float[] a, float[] b) {
        float[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
