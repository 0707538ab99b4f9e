package foil.numerics;

import ai.djl.ndarray.NDManager;
import ai.djl.nn.core.Linear;
import java.util.List;
import java.util.Random;

/** A fully connected layer, y = x wᵀ + b, against explicit sums: output and all three gradients. */
public record LinearCheck(int n, int in, int out, boolean cheap) implements OpCheck {
    @Override
    public String op() {
        return "linear";
    }

    @Override
    public String shape() {
        return n + "x" + in + " -> " + out;
    }

    @Override
    public List<Comparison> run(NDManager m, Random random) {
        float[] x = Autograd.uniform(random, n * in, 1);
        float[] wt = Autograd.uniform(random, out * in, 1 / Math.sqrt(in));
        float[] b = Autograd.uniform(random, out, 0.1);
        float[] up = Autograd.uniform(random, n * out, 1);
        Autograd.Run run = Autograd.run(m,
                List.of(Autograd.array(m, x, n, in), Autograd.array(m, wt, out, in), Autograd.array(m, b, out)),
                a -> Linear.linear(a.get(0), a.get(1), a.get(2)).singletonOrThrow(), up);
        Reference.Conv ref = Reference.linear(x, n, in, wt, out, b, up);
        return List.of(new Comparison("output", run.out(), ref.out()),
                new Comparison("input gradient", run.grads().get(0), ref.inputGrad()),
                new Comparison("weight gradient", run.grads().get(1), ref.weightGrad()),
                new Comparison("bias gradient", run.grads().get(2), ref.biasGrad()));
    }
}
