package foil.gan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import foil.numerics.Numerics;
import foil.numerics.Route;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StyleGanTest {
    @TempDir
    Path dir;

    @BeforeAll
    static void quiet() {
        System.setProperty("foil.quiet", "true");
    }

    private static StyleGan small() {
        return new StyleGan(new StyleGan.Settings(8, 8, 2, 0.9, 4), 1, 28, 28);
    }

    @Test
    void stylesSelectTheirLayersAndTruncationPullsCoarseStylesToTheAverage() {
        Foil.seed(1);
        try (StyleGan nets = small(); NDManager m = NDManager.newBaseManager()) {
            assertEquals(7, nets.styles(), "4x4: 1, then 2 for each of 8, 16, 32");
            assertEquals(3, nets.coarseStyles(), "the styles at 4x4 and 8x8");
            NDArray a = m.randomNormal(new Shape(2, 7, 8));
            NDArray b = m.randomNormal(new Shape(2, 7, 8));
            NDArray mixed = StyleGan.mix(a, b, 3);
            assertArrayEquals(a.get(":, 0:3, :").toFloatArray(), mixed.get(":, 0:3, :").toFloatArray());
            assertArrayEquals(b.get(":, 3:, :").toFloatArray(), mixed.get(":, 3:, :").toFloatArray());
            assertEquals(new Shape(3, 1, 28, 28), nets.generateInference(m.randomNormal(new Shape(3, 8))).getShape());
            // no noise: the image is a function of the styles; the fine styles change it less than all of them
            StyleGenerator g = nets.synthesis();
            NDArray w1 = g.broadcast(g.map(m.randomNormal(new Shape(1, 8))));
            NDArray w2 = g.broadcast(g.map(m.randomNormal(new Shape(1, 8))));
            assertArrayEquals(g.synthesize(w1, null).toFloatArray(), g.synthesize(w1, null).toFloatArray());
            float[] own = g.synthesize(w1, null).toFloatArray();
            float[] fineSwapped = g.synthesize(StyleGan.mix(w1, w2, 6), null).toFloatArray();
            float[] allSwapped = g.synthesize(w2, null).toFloatArray();
            assertTrue(distance(own, fineSwapped) < distance(own, allSwapped));
            // ψ = 0 puts every coarse style at w̄: the coarse part of any two latents' styles is then the same
            float[] z = gaussian(2 * 8, new java.util.Random(2));
            float[] psi1 = nets.sampleTruncated(z, 2, 1.0);
            float[] psi0 = nets.sampleTruncated(z, 2, 0.0);
            assertEquals(2 * 28 * 28, psi0.length);
            assertTrue(distance(psi0, psi1) > 0, "ψ changes the images");
        }
    }

    /**
     * The affine maps of all layers are taken as one product: each layer's scales must be those its own map gives for
     * its own style, with every style of the batch different (so a wrong style or a wrong slice shows).
     */
    @Test
    void theJointAffineProductGivesEachLayerItsOwnMapOfItsOwnStyle() {
        withSynthesis(4, (g, m, ws) -> {
            NDArray[] scales = g.layerScales(ws);
            assertEquals(11, scales.length, "7 convolutions and 4 toRGB");
            int[] rgbStyles = {0, 2, 4, 6};
            for (int k = 0; k < scales.length; k++) {
                int style = g.styleOf(k);
                assertEquals(k < 7 ? k : rgbStyles[k - 7], style);
                NDArray own = g.affine(k, ws.get(new NDIndex(":, {}, :", style)));
                assertEquals(own.getShape(), scales[k].getShape());
                assertArrayEquals(own.toFloatArray(), scales[k].toFloatArray(), 1e-5f);
            }
        });
    }

    /**
     * The synthesis lays its noise, upsampling and convolutions out channels last on oneDNN's routes and N×C×H×W on
     * im2col: the same fixed styles and noise draws must give the same image on every route.
     */
    @Test
    void theSynthesisGivesOneImageInEitherLayout() {
        withSynthesis(5, (g, m, ws) -> {
            StyleGenerator.NoiseSource fixed = fixedNoise(6);
            try {
                java.util.List<float[]> images = new ArrayList<>();
                for (Route route : java.util.EnumSet.of(Route.of(Numerics.ensure().route()), Route.IM2COL)) {
                    Route.set(route);
                    images.add(g.synthesize(ws, fixed).toFloatArray());
                }
                assertArrayEquals(images.get(0), images.get(images.size() - 1), 1e-4f);
                assertTrue(distance(images.get(0), g.synthesize(ws, null).toFloatArray()) > 0, "the noise is used");
            } finally {
                Numerics.reapply();
            }
        });
    }

    /**
     * The synthesis carries each layer's demodulation and √2 into the styles of what reads the activation instead of
     * applying them: it must give the image of StyleGAN2's plain form, built here from the generator's own blocks
     * (each modulated convolution demodulating its output, noise, bias, LeakyReLU times √2, toRGB, the skip sum).
     */
    @Test
    void theSynthesisIsThePlainFormOfStyleGan2() {
        withSynthesis(7, (g, m, ws) -> {
            StyleGenerator.NoiseSource fixed = fixedNoise(9);
            java.util.function.Function<String, ai.djl.nn.Block> child = name -> g.getChildren().stream()
                    .filter(c -> c.getKey().endsWith(name)).findFirst().orElseThrow().getValue();
            java.util.function.Function<String, NDArray> param = name -> g.getDirectParameters().stream()
                    .filter(p -> p.getKey().equals(name)).findFirst().orElseThrow().getValue().getArray();
            java.util.Random r = new java.util.Random(8);
            for (var p : g.getDirectParameters()) { // noise strengths and biases start at 0: give them values
                if (p.getKey().endsWith("noise") || p.getKey().endsWith("bias")) {
                    p.getValue().getArray().set(gaussian((int) p.getValue().getArray().size(), r));
                }
            }
            NDArray[] s = g.layerScales(ws);
            String[] names = {"conv0", "up1", "conv1", "up2", "conv2", "up3", "conv3"};
            NDArray c = param.apply("constant");
            NDArray a = c.broadcast(new Shape(3).addAll(c.getShape().slice(1)));
            NDArray image = null;
            int level = 0;
            for (int i = 0; i < names.length; i++) {
                if (names[i].startsWith("up")) {
                    a = foil.nn.Resample.upBilinear(a, false);
                }
                NDArray y = ((foil.nn.ModulatedConv2d) child.apply(names[i] + "conv")).apply(a, s[i]);
                Shape shape = y.getShape();
                NDArray draw = fixed.draw(m, new Shape(shape.get(0), 1, shape.get(2), shape.get(3)));
                y = y.add(draw.mul(param.apply(names[i] + "noise").reshape(1, -1, 1, 1)))
                        .add(param.apply(names[i] + "bias").reshape(1, -1, 1, 1));
                a = ai.djl.nn.Activation.leakyRelu(y, 0.2f).mul((float) Math.sqrt(2));
                if (i == names.length - 1 || names[i + 1].startsWith("up")) {
                    NDArray rgb = ((foil.nn.ModulatedConv2d) child.apply("rgb" + level + "conv"))
                            .apply(a, s[7 + level]).add(param.apply("rgb" + level + "bias").reshape(1, -1, 1, 1));
                    level++;
                    image = image == null ? rgb : foil.nn.Resample.upBilinear(image, false).add(rgb);
                }
            }
            float[] plain = foil.nn.Resample.pad(image, -2, 0f).toFloatArray();
            assertArrayEquals(plain, g.synthesize(ws, fixed).toFloatArray(), 1e-4f);
        });
    }

    /** A check of the small StyleGAN's synthesis network, given 3 × 7 × 8 random per-layer styles. */
    private interface SynthesisCheck {
        void run(StyleGenerator g, NDManager m, NDArray ws);
    }

    private static void withSynthesis(long seed, SynthesisCheck check) {
        Foil.seed(seed);
        try (StyleGan nets = small(); NDManager m = NDManager.newBaseManager()) {
            check.run(nets.synthesis(), m, m.randomNormal(new Shape(3, 7, 8)));
        }
    }

    /** Noise inputs that give the same draw for every request of one shape, in any scope. */
    private static StyleGenerator.NoiseSource fixedNoise(long seed) {
        java.util.Map<Shape, float[]> draws = new java.util.HashMap<>();
        java.util.Random r = new java.util.Random(seed);
        return (scope, shape) -> scope.create(draws.computeIfAbsent(shape, k -> gaussian((int) k.size(), r)), shape);
    }

    private static float[] gaussian(int n, java.util.Random r) {
        float[] v = new float[n];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return v;
    }

    private static double distance(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - b[i]) * (a[i] - b[i]);
        }
        return Math.sqrt(s);
    }

    @Test
    void trainingWithMixingAndR1TracksTheAverageWAndLeavesNoArrays() {
        Foil.seed(3);
        List<Integer> counts = new ArrayList<>();
        List<Double> penalties = new ArrayList<>();
        try (StyleGan nets = small()) {
            GanTrainer.Options o = new GanTrainer.Options(new NonSaturatingLoss().regularized(0, 1f, 2), 12, 8, 1, 2e-3f,
                    2e-3f, 0f, 0.99f, 1, 1000, 1);
            new GanTrainer(nets, GanTrainerTest.noiseImages(), o, dir).train((i, n, l) -> {
                counts.add(nets.managedArrays());
                if (l.containsKey("r1_penalty")) {
                    penalties.add(((Number) l.get("r1_penalty")).doubleValue());
                }
            });
            try (NDManager m = NDManager.newBaseManager()) {
                float[] avg = nets.synthesis().wAverage(m).toFloatArray();
                double norm = 0;
                for (float v : avg) {
                    norm += v * v;
                }
                assertTrue(norm > 0, "w_avg moved from 0 towards the mapped latents");
            }
        }
        assertEquals(1, counts.subList(1, counts.size()).stream().distinct().count(),
                "arrays held by the networks and optimizers stay constant: " + counts);
        assertTrue(penalties.stream().allMatch(p -> p > 0 && Double.isFinite(p)), penalties.toString());
    }
}
