package foil.numerics;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.norm.BatchNorm;
import java.util.List;
import java.util.Random;

/**
 * Batch norm over the channels of n × c × h × w, in training mode (batch statistics) or inference mode (running
 * statistics), against the textbook formulas: output and the gradients with respect to input, gamma and beta.
 */
public record BatchNormCheck(int n, int c, int h, int w, boolean training, boolean cheap) implements OpCheck {
    private static final float EPS = 1e-5f;

    @Override
    public String op() {
        return training ? "batch_norm (train)" : "batch_norm (eval)";
    }

    @Override
    public String shape() {
        return n + "x" + c + "x" + h + "x" + w;
    }

    @Override
    public List<Comparison> run(NDManager m, Random random) {
        int s = h * w;
        float[] x = Autograd.uniform(random, n * c * s, 1);
        for (int i = 0; i < x.length; i++) {
            x[i] = 0.5f + 2 * x[i]; // off-centre and wider than 1, so normalising does something
        }
        float[] gamma = Autograd.uniform(random, c, 1);
        float[] beta = Autograd.uniform(random, c, 1);
        float[] mean = Autograd.uniform(random, c, 0.5);
        float[] var = Autograd.uniform(random, c, 0.5);
        for (int i = 0; i < c; i++) {
            var[i] += 1;
        }
        float[] up = Autograd.uniform(random, x.length, 1);
        Reference.Conv ref = Reference.batchNorm(x, n, c, s, gamma, beta, mean, var, EPS, training, up);
        Autograd.Run run = Autograd.run(m,
                List.of(Autograd.array(m, x, n, c, h, w), Autograd.array(m, gamma, c), Autograd.array(m, beta, c)),
                a -> BatchNorm.batchNorm(a.get(0), Autograd.array(m, mean, c), Autograd.array(m, var, c), a.get(1),
                        a.get(2), 1, 0.1f, EPS, training).singletonOrThrow(), up);
        return List.of(new Comparison("output", run.out(), ref.out()),
                new Comparison("input gradient", run.grads().get(0), ref.inputGrad()),
                new Comparison("gamma gradient", run.grads().get(1), ref.weightGrad()),
                new Comparison("beta gradient", run.grads().get(2), ref.biasGrad()));
    }
}
