package foil.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The GAN blocks DJL lacks, each against its definition computed here in float64. */
class GanBlocksTest {
    private static NDManager newManager() {
        Foil.engine();
        return NDManager.newBaseManager();
    }

    private static float[] random(int n, long seed) {
        Random r = new Random(seed);
        float[] x = new float[n];
        for (int i = 0; i < n; i++) {
            x[i] = (float) r.nextGaussian();
        }
        return x;
    }

    private static void close(float[] expected, float[] actual, double tol) {
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], actual[i], tol * Math.max(1, Math.abs(expected[i])), "at " + i);
        }
    }

    private static int clamp(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }

    @Test
    void resamplingMatchesItsDefinitions() {
        foil.testing.Threads.atOneAndTwo(t -> {
            int n = 2;
            int c = 3;
            int h = 4;
            int w = 6;
            float[] x = random(n * c * h * w, 1);
            double[] up = new double[n * c * 4 * h * w];
            double[] bil = new double[up.length];
            double[] down = new double[n * c * h * w / 4];
            double[] blur = new double[x.length];
            double[] k = {1, 2, 1};
            for (int i = 0; i < n * c; i++) {
                for (int y = 0; y < 2 * h; y++) {
                    for (int z = 0; z < 2 * w; z++) {
                        up[(i * 2 * h + y) * 2 * w + z] = x[(i * h + y / 2) * w + z / 2];
                        // PyTorch's align_corners=false: source coordinate (d + 0.5)/2 - 0.5, clamped at 0
                        double sy = Math.max(0, (y + 0.5) / 2 - 0.5);
                        double sz = Math.max(0, (z + 0.5) / 2 - 0.5);
                        int y0 = (int) Math.floor(sy);
                        int z0 = (int) Math.floor(sz);
                        double ly = sy - y0;
                        double lz = sz - z0;
                        int y1 = Math.min(y0 + 1, h - 1);
                        int z1 = Math.min(z0 + 1, w - 1);
                        bil[(i * 2 * h + y) * 2 * w + z] = (1 - ly) * ((1 - lz) * x[(i * h + y0) * w + z0]
                                + lz * x[(i * h + y0) * w + z1]) + ly * ((1 - lz) * x[(i * h + y1) * w + z0]
                                + lz * x[(i * h + y1) * w + z1]);
                    }
                }
                for (int y = 0; y < h / 2; y++) {
                    for (int z = 0; z < w / 2; z++) {
                        double s = 0;
                        for (int a = 0; a < 2; a++) {
                            for (int b = 0; b < 2; b++) {
                                s += x[(i * h + 2 * y + a) * w + 2 * z + b];
                            }
                        }
                        down[(i * h / 2 + y) * w / 2 + z] = s / 4;
                    }
                }
                for (int y = 0; y < h; y++) {
                    for (int z = 0; z < w; z++) {
                        double s = 0;
                        for (int a = -1; a <= 1; a++) {
                            for (int b = -1; b <= 1; b++) {
                                if (y + a >= 0 && y + a < h && z + b >= 0 && z + b < w) {
                                    s += k[a + 1] * k[b + 1] / 16 * x[(i * h + y + a) * w + z + b];
                                }
                            }
                        }
                        blur[(i * h + y) * w + z] = s;
                    }
                }
            }
            try (NDManager m = newManager()) {
                NDArray a = m.create(x, new Shape(n, c, h, w));
                close(toFloat(up), Resample.upNearest(a).toFloatArray(), 1e-6);
                close(toFloat(bil), Resample.upBilinear(a).toFloatArray(), 1e-5);
                for (boolean last : new boolean[] {false, true}) { // either reading, of either layout
                    close(toFloat(bil), Resample.upBilinear(a, last).toFloatArray(), 1e-5);
                    close(toFloat(bil), Resample.upBilinear(ChannelsLast.of(a), last).toFloatArray(), 1e-5);
                }
                close(toFloat(down), Resample.downAverage(a).toFloatArray(), 1e-5);
                close(toFloat(blur), Resample.blur(a).toFloatArray(), 1e-5);
                assertEquals(new Shape(n, c, h + 4, w + 4), Resample.pad(a, 2, -1f).getShape());
                close(x, Resample.pad(Resample.pad(a, 2, -1f), -2, 0f).toFloatArray(), 0);
            }
        });
    }

    /**
     * Each resampling is linear, so its input gradient for upstream r must be its adjoint applied to r:
     * Σ grad · x' = Σ r · A(x') for any x' (float64 sums). Checked for one and three channels (the blur takes a
     * different kernel for each), at one and two threads.
     */
    @Test
    void resamplingGradientsAreTheAdjoints() {
        java.util.List<java.util.function.UnaryOperator<NDArray>> ops = java.util.List.of(Resample::upNearest,
                x -> Resample.upBilinear(x, false), x -> Resample.upBilinear(x, true),
                x -> Resample.upBilinear(ChannelsLast.of(x), true), Resample::downAverage, Resample::blur);
        foil.testing.Threads.atOneAndTwo(t -> {
            for (int c : new int[] {1, 3}) {
                Shape shape = new Shape(2, c, 6, 8);
                float[] x = random((int) shape.size(), 5);
                float[] x2 = random((int) shape.size(), 6);
                for (int k = 0; k < ops.size(); k++) {
                    try (NDManager m = newManager()) {
                        NDArray a = m.create(x, shape);
                        a.setRequiresGradient(true);
                        float[] r;
                        try (GradientScope g = GradientScope.open()) {
                            NDArray y = ops.get(k).apply(a);
                            r = random((int) y.getShape().size(), 7 + k);
                            g.backward(y.mul(m.create(r, y.getShape())).sum());
                        }
                        float[] grad = a.getGradient().toFloatArray();
                        float[] ax2 = ops.get(k).apply(m.create(x2, shape)).toFloatArray();
                        double left = 0;
                        double right = 0;
                        double scale = 0;
                        for (int i = 0; i < x2.length; i++) {
                            left += (double) grad[i] * x2[i];
                            scale += Math.abs((double) grad[i] * x2[i]);
                        }
                        for (int i = 0; i < r.length; i++) {
                            right += (double) r[i] * ax2[i];
                        }
                        assertEquals(right, left, 1e-5 * scale, "op " + k + ", " + c + " channels, " + t + " threads");
                    }
                }
            }
        });
    }

    private static float[] toFloat(double[] d) {
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return f;
    }

    @Test
    void pixelNormAndMinibatchStddevMatchTheirDefinitions() {
        int n = 4;
        int c = 3;
        int hw = 4;
        float[] x = random(n * c * hw, 2);
        double[] pn = new double[x.length];
        for (int b = 0; b < n; b++) {
            for (int p = 0; p < hw; p++) {
                double s = 0;
                for (int i = 0; i < c; i++) {
                    s += x[(b * c + i) * hw + p] * x[(b * c + i) * hw + p];
                }
                for (int i = 0; i < c; i++) {
                    pn[(b * c + i) * hw + p] = x[(b * c + i) * hw + p] / Math.sqrt(s / c + 1e-8);
                }
            }
        }
        // groups of 2 consecutive images: per feature the std over the group, averaged over features
        double[] sd = new double[n / 2];
        for (int gI = 0; gI < n / 2; gI++) {
            double sum = 0;
            for (int f = 0; f < c * hw; f++) {
                double a = x[(2 * gI) * c * hw + f];
                double b = x[(2 * gI + 1) * c * hw + f];
                double mu = (a + b) / 2;
                sum += Math.sqrt(((a - mu) * (a - mu) + (b - mu) * (b - mu)) / 2 + 1e-8);
            }
            sd[gI] = sum / (c * hw);
        }
        try (NDManager m = newManager()) {
            NDArray a = m.create(x, new Shape(n, c, 2, 2));
            close(toFloat(pn), PixelNorm.apply(a).toFloatArray(), 1e-5);
            float[] out = MinibatchStddev.apply(a, 2).toFloatArray();
            assertEquals(n * (c + 1) * hw, out.length);
            for (int b = 0; b < n; b++) {
                for (int p = 0; p < hw; p++) {
                    assertEquals(x[(b * c) * hw + p], out[(b * (c + 1)) * hw + p], 1e-6);
                    assertEquals(sd[b / 2], out[(b * (c + 1) + c) * hw + p], 1e-5);
                }
            }
            assertEquals(4, MinibatchStddev.groupFor(8, 4));
            assertEquals(6, MinibatchStddev.groupFor(6, 4));
        }
    }

    @Test
    void modulatedConvolutionMatchesItsDefinition() {
        foil.testing.Threads.atOneAndTwo(t -> {
            int n = 2;
            int ci = 3;
            int co = 2;
            int h = 5;
            int k = 3;
            float[] x = random(n * ci * h * h, 3);
            float[] s = random(n * ci, 4);
            Foil.seed(5);
            ModulatedConv2d conv = new ModulatedConv2d(ci, co, k, true);
            ModulatedConv2d plain = new ModulatedConv2d(ci, co, k, false);
            try (NDManager m = newManager()) {
                conv.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(n, ci, h, h), new Shape(n, ci));
                plain.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(n, ci, h, h), new Shape(n, ci));
                float[] wRaw = conv.getParameters().get(0).getValue().getArray().toFloatArray();
                double c = 1 / Math.sqrt(ci * k * k);
                double[] expected = new double[n * co * h * h];
                for (int b = 0; b < n; b++) {
                    for (int o = 0; o < co; o++) {
                        double d = 0;
                        for (int i = 0; i < ci; i++) {
                            for (int q = 0; q < k * k; q++) {
                                double ww = s[b * ci + i] * wRaw[(o * ci + i) * k * k + q] * c;
                                d += ww * ww;
                            }
                        }
                        d = 1 / Math.sqrt(d + 1e-8);
                        for (int y = 0; y < h; y++) {
                            for (int z = 0; z < h; z++) {
                                double acc = 0;
                                for (int i = 0; i < ci; i++) {
                                    for (int u = 0; u < k; u++) {
                                        for (int v = 0; v < k; v++) {
                                            int yy = y + u - 1;
                                            int zz = z + v - 1;
                                            if (yy >= 0 && yy < h && zz >= 0 && zz < h) {
                                                acc += x[((b * ci + i) * h + yy) * h + zz] * s[b * ci + i]
                                                        * wRaw[((o * ci + i) * k + u) * k + v] * c;
                                            }
                                        }
                                    }
                                }
                                expected[((b * co + o) * h + y) * h + z] = acc * d;
                            }
                        }
                    }
                }
                NDArray xa = m.create(x, new Shape(n, ci, h, h));
                NDArray sa = m.create(s, new Shape(n, ci));
                float[] y = conv.apply(xa, sa).toFloatArray();
                close(toFloat(expected), y, 1e-4);
                // demodulated: unit norm of each output channel's effective weight, so scaling the style changes nothing
                close(y, conv.apply(xa, sa.mul(3f)).toFloatArray(), 1e-4);
                // without demodulation, the style scales the output
                close(plain.apply(xa, sa).mul(3f).toFloatArray(), plain.apply(xa, sa.mul(3f)).toFloatArray(), 1e-4);
                // a gain on the input, carried by the style, is the layer applied to gain·x: demodulation still from s
                close(conv.apply(xa.mul(1.5f), sa).toFloatArray(), conv.apply(xa, sa, 1.5f).toFloatArray(), 1e-4);
                close(plain.apply(xa.mul(1.5f), sa).toFloatArray(), plain.apply(xa, sa, 1.5f).toFloatArray(), 1e-4);
                // toRGB's case, 1 × 1 without demodulation (a matrix product), against the convolution it stands for
                ModulatedConv2d rgb = new ModulatedConv2d(ci, co, 1, false);
                rgb.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(n, ci, h, h), new Shape(n, ci));
                NDArray w1 = rgb.getParameters().get(0).getValue().getArray().mul((float) (1 / Math.sqrt(ci)));
                NDArray conv1 = Convolution.conv2d(xa.mul(sa.mul(1.5f).expandDims(2).expandDims(3)), w1, null, 0);
                close(conv1.toFloatArray(), rgb.apply(xa, sa, 1.5f).toFloatArray(), 1e-4);
                close(conv1.toFloatArray(), rgb.apply(foil.nn.ChannelsLast.of(xa), sa, 1.5f).toFloatArray(), 1e-4);
            }
        });
    }

    @Test
    void equalizedLayersUseTheHeConstantAtRuntime() {
        Foil.seed(6);
        EqualizedConv2d conv = new EqualizedConv2d(4, 2, 3);
        EqualizedLinear mapping = new EqualizedLinear(8, 8, (float) Math.sqrt(2), 0.01f, 0f);
        try (NDManager m = newManager()) {
            conv.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 4, 5, 5));
            mapping.initialize(m, ai.djl.ndarray.types.DataType.FLOAT32, new Shape(1, 8));
            float[] raw = conv.getParameters().get("weight").getArray().toFloatArray();
            float[] used = conv.equalized().weight(m).toFloatArray();
            for (int i = 0; i < raw.length; i++) {
                assertEquals(raw[i] * Math.sqrt(2) / Math.sqrt(36), used[i], 1e-6);
            }
            // stored N(0, 1/λ²) with λ = 0.01, used as N(0, 2/fan-in): the used weights have that spread
            float[] mapped = mapping.equalized().weight(m).toFloatArray();
            double var = 0;
            for (float v : mapped) {
                var += v * v;
            }
            var /= mapped.length;
            assertTrue(var > 0.5 * 2 / 8 && var < 1.5 * 2 / 8, "variance " + var);
        }
    }

    /**
     * A small critic with every taped operation: pad, convs, LeakyReLU, pooling, a fade, minibatch stddev (unless
     * {@code stddev} is off: its expression holds σ constant, so the penalty's gradient is exact without it), linear.
     */
    private static CriticTape.Var critic(CriticTape t, CriticTape.Var x, NDArray[] w) {
        return critic(t, x, w, true);
    }

    private static CriticTape.Var critic(CriticTape t, CriticTape.Var x, NDArray[] w, boolean stddev) {
        CriticTape.Var p = t.pad(x, 1, -1f); // 6×6
        CriticTape.Var h = t.leakyRelu(t.conv(p, w[0], w[1], 1), 0.2f);
        CriticTape.Var low = t.leakyRelu(t.conv(t.downAverage(p), w[0], w[1], 1), 0.2f); // 3×3
        CriticTape.Var high = t.downAverage(t.leakyRelu(t.conv(h, w[2], null, 1), 0.2f));
        CriticTape.Var faded = t.lerp(low, high, 0.3f);
        CriticTape.Var s = stddev ? t.minibatchStddev(faded, 2) : faded;
        CriticTape.Var f = t.flatten(t.leakyRelu(t.conv(s, stddev ? w[3] : w[6], null, 1), 0.2f));
        return t.linear(f, w[4], w[5]);
    }

    private static NDArray[] weights(NDManager m, int c) {
        Random r = new Random(7);
        Shape[] shapes = {new Shape(c, 1, 3, 3), new Shape(c), new Shape(c, c, 3, 3), new Shape(c, c + 1, 3, 3),
            new Shape(1, c * 9), new Shape(1), new Shape(c, c, 3, 3)};
        NDArray[] w = new NDArray[shapes.length];
        for (int i = 0; i < shapes.length; i++) {
            float[] v = new float[(int) shapes[i].size()];
            for (int j = 0; j < v.length; j++) {
                v[j] = (float) (r.nextGaussian() * 0.5);
            }
            w[i] = m.create(v, shapes[i]);
            w[i].setRequiresGradient(true);
        }
        return w;
    }

    private static double centralDifference(NDManager m, NDArray[] w, float[] xs, int n, int j, double h) {
        float[] base = w[2].toFloatArray();
        double[] values = new double[2];
        for (int side = 0; side < 2; side++) {
            float[] moved = base.clone();
            moved[j] += (float) (side == 0 ? h : -h);
            NDArray[] w2 = w.clone();
            w2[2] = m.create(moved, w[2].getShape());
            CriticTape tape = new CriticTape(true);
            CriticTape.Var in = tape.input(m.create(xs, new Shape(n, 1, 4, 4)));
            values[side] = tape.inputGradient(critic(tape, in, w2, false), in).square().sum().getFloat();
        }
        return (values[0] - values[1]) / (2 * h);
    }

    @Test
    void theTapesInputGradientEqualsAutogradsAndDifferentiatesInTheWeights() {
        foil.testing.Threads.atOneAndTwo(t -> {
            int n = 4;
            int c = 3;
            float[] xs = random(n * 16, 8);
            try (NDManager m = newManager()) {
                NDArray[] w = weights(m, c);
                NDArray x = m.create(xs, new Shape(n, 1, 4, 4));
                x.setRequiresGradient(true);
                float[] byAutograd;
                try (ai.djl.training.GradientCollector gc = Foil.engine().newGradientCollector()) {
                    NDArray out = critic(new CriticTape(false), new CriticTape(false).input(x), w).value().sum();
                    gc.backward(out);
                }
                byAutograd = x.getGradient().toFloatArray();
                for (NDArray a : w) {
                    a.getGradient().muli(0f);
                }
                NDArray x2 = m.create(xs, new Shape(n, 1, 4, 4));
                float[] byTape;
                float[] penaltyGrad;
                try (ai.djl.training.GradientCollector gc = Foil.engine().newGradientCollector()) {
                    CriticTape tape = new CriticTape(true);
                    CriticTape.Var in = tape.input(x2);
                    byTape = tape.inputGradient(critic(tape, in, w), in).toFloatArray();
                }
                for (NDArray a : w) {
                    a.getGradient().muli(0f);
                }
                try (ai.djl.training.GradientCollector gc = Foil.engine().newGradientCollector()) {
                    CriticTape tape = new CriticTape(true);
                    CriticTape.Var in = tape.input(m.create(xs, new Shape(n, 1, 4, 4)));
                    gc.backward(tape.inputGradient(critic(tape, in, w, false), in).square().sum());
                }
                close(byAutograd, byTape, 1e-4);
                penaltyGrad = w[2].getGradient().toFloatArray();
                // the penalty's gradient in a weight, against central differences of the penalty at two steps
                // (where the two disagree, a LeakyReLU changed sides within the step: that weight is skipped)
                int checked = 0;
                for (int j = 0; j < penaltyGrad.length; j += 5) {
                    double fd1 = centralDifference(m, w, xs, n, j, 2e-3);
                    double fd2 = centralDifference(m, w, xs, n, j, 1e-3);
                    if (Math.abs(fd1 - fd2) > 0.02 * Math.max(1, Math.abs(fd1))) {
                        continue;
                    }
                    assertEquals(fd2, penaltyGrad[j], 0.03 * Math.max(1, Math.abs(fd2)), "weight " + j);
                    checked++;
                }
                assertTrue(checked > 5);
            }
        });
    }
}
