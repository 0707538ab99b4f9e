package foil.numerics;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.pooling.Pool;
import java.util.List;
import java.util.Random;

/** Max pooling with a k × k window and stride k against explicit loops: output and input gradient. */
public record MaxPoolCheck(int n, int c, int h, int w, int k, boolean cheap) implements OpCheck {
    @Override
    public String op() {
        return "max_pool2d";
    }

    @Override
    public String shape() {
        return n + "x" + c + "x" + h + "x" + w + " k" + k;
    }

    @Override
    public List<Comparison> run(NDManager m, Random random) {
        float[] x = Autograd.uniform(random, n * c * h * w, 1);
        float[] up = Autograd.uniform(random, n * c * (h / k) * (w / k), 1);
        Autograd.Run run = Autograd.run(m, List.of(Autograd.array(m, x, n, c, h, w)),
                a -> Pool.maxPool2d(a.get(0), new Shape(k, k), new Shape(k, k), new Shape(0, 0), false), up);
        double[][] ref = Reference.maxPool(x, n, c, h, w, k, up);
        return List.of(new Comparison("output", run.out(), ref[0]),
                new Comparison("input gradient", run.grads().get(0), ref[1]));
    }
}
