package foil.attack;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import foil.FoilException;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.FoilModel;
import foil.testing.AttackChecks;
import foil.testing.Synthetic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SquareTest {
    static FoilModel model;
    static ImageDataset data;

    @BeforeAll
    static void train() {
        data = Synthetic.dataset(400, 3);
        model = AttackChecks.trainedMlp(data);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    @Test
    void staysInTheBallAndTheBoxWithinTheBudget() {
        for (Norm norm : Norm.values()) {
            float eps = norm == Norm.LINF ? 0.1f : 1.0f;
            Square square = new Square(norm, eps, 300, 0.8f);
            try (NDManager m = NDManager.newBaseManager()) {
                NDArray x = data.images(m, 0, 64);
                AttackResult r = square.run(model, x, data.labels(m, 0, 64), null, ImageRandom.of(3, range(0, 64)));
                AttackChecks.assertWithinBudget(norm, eps, data, r, 64);
                int[] clean = model.predict(x);
                for (int i = 0; i < 64; i++) {
                    int q = r.queries()[i];
                    assertTrue(q >= 1 && q <= 300, "queries " + q);
                    if (clean[i] != data.labels()[i]) {
                        assertEquals(1, q, "a misclassified image needs its clean query only");
                        assertEquals(0f, r.distortion().linf()[i], "and keeps the clean image");
                    } else if (!r.success()[i]) {
                        assertEquals(300, q, "a robust image uses the whole budget");
                    }
                }
            }
        }
    }

    @Test
    void lowersAccuracyUntargetedAndReachesTargets() {
        AttackRun.Outcome linf = AttackRun.run(new Square(Norm.LINF, 0.15f, 1000, 0.8f), model, data.head(100),
                Targeting.untargeted(), 50, 0, false);
        assertTrue(linf.cleanAccuracy() > 0.9, "the model learned the synthetic task: " + linf.cleanAccuracy());
        assertTrue(linf.robustAccuracy() < linf.cleanAccuracy() - 0.3, "Square L-inf hurts: " + linf.robustAccuracy());
        Number mean = (Number) linf.metrics().get("mean_queries");
        assertTrue(mean.doubleValue() >= 2 && mean.doubleValue() <= 1000, "mean queries " + mean);
        assertTrue(linf.metrics().containsKey("median_queries"));
        AttackRun.Outcome l2 = AttackRun.run(new Square(Norm.L2, 1.5f, 1000, 0.8f), model, data.head(100),
                Targeting.untargeted(), 50, 0, false);
        assertTrue(l2.robustAccuracy() < l2.cleanAccuracy() - 0.3, "Square L2 hurts: " + l2.robustAccuracy());
        AttackRun.Outcome targeted = AttackRun.run(new Square(Norm.LINF, 0.3f, 1000, 0.8f), model, data.head(100),
                Targeting.fixed(4), 50, 0, false);
        for (int i = 0; i < targeted.n(); i++) {
            assertEquals(targeted.success()[i], targeted.adversarialPredictions()[i] == 4);
        }
        assertTrue(targeted.successRate() > 0.8, "targeted success " + targeted.successRate());
    }

    /**
     * A two-class linear model f(x) = w·x + b with a smooth w, attacked at grey images 0.5 + t where the box
     * does not bind: the smallest L-inf change that flips the class is f/‖w‖₁, the smallest L2 one f/‖w‖₂.
     * Square must flip the images whose margin lies well inside the ball, and can never flip one outside it.
     */
    @Test
    void flipsALinearModelExactlyWhereTheBallAllows() {
        int side = 8;
        int d = side * side;
        float[] w = new float[d];
        double l1 = 0;
        double l2 = 0;
        double sum = 0;
        for (int u = 0; u < side; u++) {
            for (int v = 0; v < side; v++) {
                float value = (float) (0.4 + Math.sin(Math.PI * (u + 0.5) / 4) * Math.cos(Math.PI * (v + 0.5) / 4));
                w[u * side + v] = value;
                l1 += Math.abs(value);
                l2 += value * value;
                sum += value;
            }
        }
        l2 = Math.sqrt(l2);
        float bias = (float) (-0.5 * sum); // f(0.5) = 0
        for (Norm norm : Norm.values()) {
            float eps = norm == Norm.LINF ? 0.05f : 0.3f;
            double reach = eps * (norm == Norm.LINF ? l1 : l2);
            // margins as fractions of what the ball can reach: the first five inside it, the rest outside
            double[] fractions = norm == Norm.LINF ? new double[] {0.2, 0.4, 0.6, 0.8, 0.9, 1.02, 1.1, 1.2, 1.5, 2}
                    : new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 1.02, 1.1, 1.2, 1.5, 2};
            int b = fractions.length;
            float[] pixels = new float[b * d];
            for (int i = 0; i < b; i++) {
                java.util.Arrays.fill(pixels, i * d, (i + 1) * d, (float) (0.5 + fractions[i] * reach / sum));
            }
            try (NDManager m = NDManager.newBaseManager();
                    Classifier linear = new Linear(w, bias, side)) {
                NDArray x = m.create(pixels, new Shape(b, 1, side, side));
                NDArray y = m.zeros(new Shape(b), DataType.INT64); // class 0 wins at x: f > 0
                AttackResult r = new Square(norm, eps, 2000, 0.8f).run(linear, x, y, null, ImageRandom.of(9, range(0, b)));
                for (int i = 0; i < b; i++) {
                    assertEquals(fractions[i] < 1, r.success()[i], norm + " margin at " + fractions[i] + " of the ball");
                }
            }
        }
    }

    /** Logits (w·x + b, 0). */
    private record Linear(float[] w, float bias, int side) implements Classifier {
        @Override
        public Shape inputShape() {
            return new Shape(1, side, side);
        }

        @Override
        public int numClasses() {
            return 2;
        }

        @Override
        public NDArray logits(NDArray x) {
            float[] v = x.toFloatArray();
            int b = (int) x.getShape().get(0);
            float[] out = new float[2 * b];
            for (int i = 0; i < b; i++) {
                double f = bias;
                for (int p = 0; p < w.length; p++) {
                    f += w[p] * v[i * w.length + p];
                }
                out[2 * i] = (float) f;
            }
            return x.getManager().create(out, new Shape(b, 2));
        }

        @Override
        public NDArray differentiableLogits(NDArray x) {
            throw new UnsupportedOperationException("a black box");
        }

        @Override
        public String describe() {
            return "linear";
        }

        @Override
        public void close() {}
    }

    /**
     * The model one image at a time: a matrix product's rounding may depend on the batch's size, so this
     * isolates what the attack itself makes of an image's batch.
     */
    private record OneByOne(Classifier inner) implements Classifier {
        @Override
        public Shape inputShape() {
            return inner.inputShape();
        }

        @Override
        public int numClasses() {
            return inner.numClasses();
        }

        @Override
        public NDArray logits(NDArray x) {
            ai.djl.ndarray.NDList rows = new ai.djl.ndarray.NDList();
            for (int i = 0; i < x.getShape().get(0); i++) {
                rows.add(inner.logits(x.get(i).expandDims(0)));
            }
            return ai.djl.ndarray.NDArrays.concat(rows);
        }

        @Override
        public NDArray differentiableLogits(NDArray x) {
            throw new UnsupportedOperationException("a black box");
        }

        @Override
        public String describe() {
            return "one by one";
        }

        @Override
        public void close() {}
    }

    @Test
    void anImagesResultDoesNotDependOnItsBatch() {
        Classifier model = new OneByOne(SquareTest.model);
        for (Norm norm : Norm.values()) {
            float eps = norm == Norm.LINF ? 0.08f : 0.8f;
            Square square = new Square(norm, eps, 100, 0.8f);
            try (NDManager m = NDManager.newBaseManager()) {
                int[] all = range(0, 40);
                AttackResult whole = square.run(model, data.images(m, 0, 40), data.labels(m, 0, 40), null,
                        ImageRandom.of(11, all));
                float[] wholePixels = whole.adversarial().toFloatArray();
                int per = data.imageSize();
                int[][] parts = {range(0, 13), range(13, 40)};
                for (int[] part : parts) {
                    AttackResult r = square.run(model, data.images(m, part[0], part[0] + part.length),
                            data.labels(m, part[0], part[0] + part.length), null, ImageRandom.of(11, part));
                    float[] px = r.adversarial().toFloatArray();
                    for (int k = 0; k < part.length; k++) {
                        int i = part[k];
                        assertEquals(whole.queries()[i], r.queries()[k], norm + " queries of image " + i);
                        assertArrayEquals(java.util.Arrays.copyOfRange(wholePixels, i * per, (i + 1) * per),
                                java.util.Arrays.copyOfRange(px, k * per, (k + 1) * per), norm + " image " + i);
                    }
                }
            }
        }
    }

    @Test
    void leavesNoArraysBehindWhateverTheQueries() {
        int[] left = new int[2];
        int[] budgets = {20, 200};
        for (int k = 0; k < 2; k++) {
            for (Norm norm : Norm.values()) {
                try (NDManager m = NDManager.newBaseManager()) {
                    NDArray x = data.images(m, 0, 32);
                    NDArray y = data.labels(m, 0, 32);
                    int before = m.getManagedArrays().size();
                    new Square(norm, norm == Norm.LINF ? 0.05f : 0.5f, budgets[k], 0.8f).run(model, x, y, null,
                            ImageRandom.of(1, range(0, 32)));
                    left[k] += m.getManagedArrays().size() - before;
                }
            }
        }
        assertEquals(left[0], left[1], "arrays left in the batch's manager must not grow with the queries");
    }

    @Test
    void followsTheReferenceScheduleAndPattern() {
        assertEquals(0.8f, Square.p(0.8f, 0, 5000));
        assertEquals(0.8f, Square.p(0.8f, 5, 5000)); // 5/5000 of 10000 = 10: not yet past 10
        assertEquals(0.4f, Square.p(0.8f, 6, 5000));
        assertEquals(0.8f / 512, Square.p(0.8f, 4999, 5000));
        assertEquals(0.8f / 16, Square.p(0.8f, 600, 10000));
        float[] eta = Square.eta(5);
        double sq = 0;
        for (float v : eta) {
            sq += v * v;
        }
        assertEquals(1.0, sq, 1e-5);
        assertTrue(eta[0] > 0 && eta[24] < 0, "the two halves have opposite signs");
        assertTrue(Math.abs(eta[2 * 5 + 2]) > Math.abs(eta[4 * 5 + 0]), "the centre of a half weighs most");
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(FoilException.class, () -> new Square(Norm.LINF, 0.1f, 0, 0.8f));
        assertThrows(FoilException.class, () -> new Square(Norm.LINF, 0.1f, 100, 0f));
        assertThrows(FoilException.class, () -> new Square(Norm.LINF, 0.1f, 100, 1.5f));
        assertThrows(FoilException.class, () -> new Square(Norm.LINF, 2f, 100, 0.8f));
    }
}
