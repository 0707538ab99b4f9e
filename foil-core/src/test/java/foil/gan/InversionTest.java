package foil.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import foil.testing.Threads;
import java.util.Random;
import org.ejml.data.DMatrixRMaj;
import org.ejml.dense.row.CommonOps_DDRM;
import org.junit.jupiter.api.Test;

/**
 * Inversion checked on a linear generator G(z) = Wz + b, where everything has a closed form computed here in
 * float64: the objective's gradient, and its minimiser (the regularised least-squares solution). Then a DCGAN's
 * own samples are reconstructed far better than images it did not make.
 */
class InversionTest {
    private static final int LATENT = 5;
    private static final int PIXELS = 12;

    /** W (PIXELS × LATENT) and b read off the generator in float64: G(0) = b, G(e_j) - b = W e_j. */
    private static double[][] linearMap(GanNetworks g) {
        float[] basis = new float[(LATENT + 1) * LATENT];
        for (int j = 0; j < LATENT; j++) {
            basis[(j + 1) * LATENT + j] = 1;
        }
        float[] out = g.sampleInference(basis, LATENT + 1);
        double[][] wb = new double[PIXELS][LATENT + 1];
        for (int p = 0; p < PIXELS; p++) {
            wb[p][LATENT] = out[p];
            for (int j = 0; j < LATENT; j++) {
                wb[p][j] = (double) out[(j + 1) * PIXELS + p] - out[p];
            }
        }
        return wb;
    }

    /** With A = W/2 and c = (b + 1)/2 - x: f(z) = |Az + c|²/P + λ|z|²/d, ∇f = 2Aᵀ(Az + c)/P + 2λz/d. */
    private static double[] gradient(double[][] wb, double[] x, double[] z, double lambda) {
        double[] r = new double[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            r[p] = (wb[p][LATENT] + 1) / 2 - x[p];
            for (int j = 0; j < LATENT; j++) {
                r[p] += wb[p][j] / 2 * z[j];
            }
        }
        double[] g = new double[LATENT];
        for (int j = 0; j < LATENT; j++) {
            for (int p = 0; p < PIXELS; p++) {
                g[j] += 2 * (wb[p][j] / 2) * r[p] / PIXELS;
            }
            g[j] += 2 * lambda * z[j] / LATENT;
        }
        return g;
    }

    /** The minimiser: (AᵀA/P + λ/d I) z = -Aᵀc/P. */
    private static double[] minimiser(double[][] wb, double[] x, double lambda) {
        DMatrixRMaj lhs = new DMatrixRMaj(LATENT, LATENT);
        DMatrixRMaj rhs = new DMatrixRMaj(LATENT, 1);
        for (int i = 0; i < LATENT; i++) {
            for (int p = 0; p < PIXELS; p++) {
                double c = (wb[p][LATENT] + 1) / 2 - x[p];
                rhs.add(i, 0, -(wb[p][i] / 2) * c / PIXELS);
                for (int j = 0; j < LATENT; j++) {
                    lhs.add(i, j, (wb[p][i] / 2) * (wb[p][j] / 2) / PIXELS);
                }
            }
            lhs.add(i, i, lambda / LATENT);
        }
        DMatrixRMaj z = new DMatrixRMaj(LATENT, 1);
        assertTrue(CommonOps_DDRM.solve(lhs, rhs, z), "a regular system");
        return z.getData().clone();
    }

    private static double[] targets(Random r) {
        double[] x = new double[PIXELS];
        for (int p = 0; p < PIXELS; p++) {
            x[p] = r.nextDouble();
        }
        return x;
    }

    private static float[] floats(double[]... rows) {
        float[] f = new float[rows.length * rows[0].length];
        for (int i = 0; i < rows.length; i++) {
            for (int j = 0; j < rows[i].length; j++) {
                f[i * rows[i].length + j] = (float) rows[i][j];
            }
        }
        return f;
    }

    @Test
    void theObjectivesGradientIsTheClosedFormAtOneAndTwoThreads() {
        Threads.atOneAndTwo(threads -> {
            try (MlpGan g = new MlpGan(LATENT, PIXELS, 8, 0)) {
                double[][] wb = linearMap(g);
                Random r = new Random(3);
                double[] x0 = targets(r);
                double[] x1 = targets(r);
                double lambda = 0.3;
                Inversion inv = new Inversion(1, 1, 0.1, lambda, 0, Inversion.Method.ADAM);
                Inversion.Objective f = inv.objective(g, floats(x0, x1), 2, null);
                float[][] z = new float[4][LATENT]; // restart-major: rows 0, 2 invert image 0; rows 1, 3 image 1
                for (float[] row : z) {
                    for (int j = 0; j < LATENT; j++) {
                        row[j] = (float) r.nextGaussian();
                    }
                }
                double[] values = new double[4];
                float[][] grads = new float[4][];
                f.evaluate(new int[] {0, 1, 2, 3}, z, values, grads);
                for (int row = 0; row < 4; row++) {
                    double[] zd = new double[LATENT];
                    for (int j = 0; j < LATENT; j++) {
                        zd[j] = z[row][j];
                    }
                    double[] expected = gradient(wb, row % 2 == 0 ? x0 : x1, zd, lambda);
                    for (int j = 0; j < LATENT; j++) {
                        assertEquals(expected[j], grads[row][j], 1e-5 + 1e-4 * Math.abs(expected[j]),
                                "row " + row + " coordinate " + j + " at " + threads + " threads");
                    }
                }
            }
        });
    }

    @Test
    void bothOptimisersReachTheRegularisedLeastSquaresSolution() {
        try (MlpGan g = new MlpGan(LATENT, PIXELS, 8, 0)) {
            double[][] wb = linearMap(g);
            Random r = new Random(5);
            double[][] x = {targets(r), targets(r), targets(r)};
            double lambda = 0.05;
            for (Inversion.Method method : Inversion.Method.values()) {
                Inversion inv = new Inversion(2, method == Inversion.Method.ADAM ? 3000 : 200, 0.02, lambda, 0,
                        method);
                Inversion.Result res = inv.invert(g, floats(x), 3, 2, null, 11);
                for (int i = 0; i < 3; i++) {
                    double[] best = minimiser(wb, x[i], lambda);
                    for (int j = 0; j < LATENT; j++) {
                        assertEquals(best[j], res.latents()[i * LATENT + j], 2e-3, method + " image " + i);
                    }
                }
            }
        }
    }

    @Test
    void aGeneratorsOwnOutputIsRecoveredExactlyAndTheErrorIsItsReconstructions() {
        try (MlpGan g = new MlpGan(LATENT, PIXELS, 8, 0)) {
            float[] zStar = foil.gan.Truncation.NONE.latents(4, LATENT, 9);
            for (int i = 0; i < zStar.length; i++) {
                zStar[i] *= 0.3f; // keep G(z*) inside [-1, 1]
            }
            float[] images = g.sampleInference(zStar, 4);
            for (int i = 0; i < images.length; i++) {
                images[i] = (images[i] + 1) / 2;
                assertTrue(images[i] >= 0 && images[i] <= 1, "target inside [0, 1]");
            }
            Inversion.Result res = new Inversion(1, 100, 0.1, 0, 0, Inversion.Method.LBFGS)
                    .invert(g, images, 4, 4, null, 1);
            for (int i = 0; i < 4; i++) {
                assertTrue(res.errors()[i] < 1e-9, "error " + res.errors()[i]);
                double s = 0;
                for (int p = 0; p < PIXELS; p++) {
                    double d = res.reconstructions()[i * PIXELS + p] - images[i * PIXELS + p];
                    s += d * d;
                }
                assertEquals(s / PIXELS, res.errors()[i], 1e-9);
                for (int j = 0; j < LATENT; j++) {
                    assertEquals(zStar[i * LATENT + j], res.latents()[i * LATENT + j], 1e-3);
                }
            }
        }
    }

    @Test
    void aDcgansSamplesAreReconstructedAndImagesItCannotMakeAreNot() {
        try (Dcgan g = new Dcgan(16, 1, 8)) {
            int n = 4;
            float[] own = foil.run.GanImageJob.toUnit(g.sampleInference(Truncation.NONE.latents(n, 16, 4), n));
            float[] marked = own.clone(); // the same images with a bright 4x4 square, which G does not draw
            for (int i = 0; i < n; i++) {
                for (int y = 10; y < 14; y++) {
                    for (int x = 10; x < 14; x++) {
                        marked[i * 784 + y * 28 + x] = 1f;
                    }
                }
            }
            Inversion inv = new Inversion(2, 100, 0.05, 1e-3, 0, Inversion.Method.ADAM);
            double[] a = inv.invert(g, own, n, n, null, 2).errors();
            double[] b = inv.invert(g, marked, n, n, null, 2).errors();
            for (int i = 0; i < n; i++) {
                assertTrue(a[i] < 1e-5, "own sample " + i + ": " + a[i]);
                assertTrue(b[i] > 10 * a[i] && b[i] > 1e-3, "marked image " + i + ": " + b[i]);
            }
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(FoilException.class, () -> new Inversion(0, 10, 0.1, 0, 0, Inversion.Method.ADAM));
        assertThrows(FoilException.class, () -> new Inversion(1, 10, -1, 0, 0, Inversion.Method.ADAM));
        assertThrows(FoilException.class, () -> new Inversion(1, 10, 0.1, -1, 0, Inversion.Method.ADAM));
        try (MlpGan g = new MlpGan(LATENT, PIXELS, 8, 0)) {
            assertThrows(FoilException.class, () -> new Inversion(1, 10, 0.1, 0, 1, Inversion.Method.ADAM)
                    .invert(g, new float[PIXELS], 1, 1, null, 0), "a feature weight without a feature network");
        }
    }
}
