package foil.gan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import org.junit.jupiter.api.Test;

class GradientPenaltyTest {
    /** The penalty is the mean of (‖∇D‖ - 1)² at the interpolates, with the norms autograd gives there. */
    @Test
    void penaltyIsTheMeanSquaredDistanceOfAutogradsNormsFromOne() {
        try (MlpGan nets = new MlpGan(2, 2, 16, 2, 2f); NDManager m = NDManager.newBaseManager()) {
            NDArray real = m.randomNormal(new Shape(40, 2)).add(2f);
            NDArray fake = m.randomNormal(new Shape(40, 2)).sub(2f);
            NDArray eps = m.randomUniform(0f, 1f, new Shape(40, 1));
            NDArray points = GradientPenalty.interpolates(real, fake, eps);
            float[] e = eps.toFloatArray();
            float[] p = points.toFloatArray();
            float[] r = real.toFloatArray();
            float[] f = fake.toFloatArray();
            for (int i = 0; i < 40; i++) {
                for (int d = 0; d < 2; d++) {
                    assertEquals(e[i] * r[2 * i + d] + (1 - e[i]) * f[2 * i + d], p[2 * i + d], 1e-5);
                }
            }
            NDArray x = points.duplicate();
            x.setRequiresGradient(true);
            try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                gc.backward(nets.score(x).sum());
            }
            float[] g = x.getGradient().toFloatArray();
            double expected = 0;
            for (int i = 0; i < 40; i++) {
                double norm = Math.hypot(g[2 * i], g[2 * i + 1]);
                expected += (norm - 1) * (norm - 1) / 40;
            }
            assertEquals(expected, GradientPenalty.of(nets, real, fake, eps).getFloat(), 1e-4 * Math.max(1, expected));
        }
    }

    /**
     * Trained against two fixed clouds 3 apart, a critic with slope k along the gap scores E[D(fake)] - E[D(real)] =
     * -3k and pays lambda·(k - 1)², so the penalised optimum is k = 1 + 3/(2·lambda): 1.15 for lambda 10, 2.5 for
     * lambda 1. The trained critic's gradient norm at the interpolates lands there; without the penalty it keeps
     * growing.
     */
    @Test
    void aPenalisedCriticsGradientNormIsThePenaltysOptimum() {
        for (float lambda : new float[] {10f, 1f}) {
            double expected = 1 + 3 / (2.0 * lambda);
            double norm = trainedNorm(lambda);
            assertEquals(expected, norm, 0.08 * expected, "lambda " + lambda);
        }
        double unpenalised = trainedNorm(0f);
        assertTrue(unpenalised > 3, "mean norm without the penalty: " + unpenalised);
    }

    private static double trainedNorm(float lambda) {
        Engine.getInstance().setRandomSeed(5);
        WassersteinLoss w = new WassersteinLoss(0f);
        try (MlpGan nets = new MlpGan(2, 2, 32, 2); NDManager m = NDManager.newBaseManager();
                AdamOptimizer opt = new AdamOptimizer(nets.criticBlock(), nets.manager(), 1e-3f, 0.5f, 0.9f)) {
            for (int step = 0; step < 400; step++) {
                try (NDManager s = m.newSubManager()) {
                    NDArray real = cloud(s, 64, 1.5f);
                    NDArray fake = cloud(s, 64, -1.5f);
                    NDArray eps = s.randomUniform(0f, 1f, new Shape(64, 1));
                    try (GradientCollector gc = Engine.getInstance().newGradientCollector()) {
                        NDArray loss = w.discriminator(nets.score(real), nets.score(fake));
                        if (lambda > 0) {
                            loss = loss.add(GradientPenalty.of(nets, real, fake, eps).mul(lambda));
                        }
                        gc.backward(loss);
                    }
                    opt.step();
                }
            }
            try (NDManager s = m.newSubManager()) {
                NDArray real = cloud(s, 500, 1.5f);
                NDArray fake = cloud(s, 500, -1.5f);
                NDArray eps = s.randomUniform(0f, 1f, new Shape(500, 1));
                return GradientPenalty.gradientNorms(nets, GradientPenalty.interpolates(real, fake, eps)).mean()
                        .getFloat();
            }
        }
    }

    /** n points of N((x, 0), 0.3² I). */
    private static NDArray cloud(NDManager m, int n, float x) {
        return m.randomNormal(0f, 0.3f, new Shape(n, 2), ai.djl.ndarray.types.DataType.FLOAT32)
                .add(m.create(new float[] {x, 0f}));
    }
}
