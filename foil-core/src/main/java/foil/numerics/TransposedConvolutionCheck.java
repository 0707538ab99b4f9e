package foil.numerics;

import ai.djl.ndarray.NDManager;
import foil.nn.TransposedConv2d;
import java.util.List;
import java.util.Random;

/**
 * Foil's transposed convolution ({@link TransposedConv2d#ofConvolution}: the DCGAN generator's layers and the
 * WGAN-GP critic's written-out input gradient) of x (n × o × h × w) with a convolution weight (o × c × k × k)
 * against explicit loops: it must equal the convolution's input gradient for upstream x, and its own gradients
 * with respect to x and the weight must be right.
 */
public record TransposedConvolutionCheck(int n, int o, int h, int w, int c, int k, int stride, int padding,
        boolean cheap) implements OpCheck {
    @Override
    public String op() {
        return "conv_transpose2d";
    }

    @Override
    public String shape() {
        return ConvolutionCheck.describe(n, o, h, w, o, c, k, stride, padding);
    }

    @Override
    public List<Comparison> run(NDManager m, Random random) {
        // the convolution this transposes maps c × H × W to o × h × w
        int bigH = (h - 1) * stride - 2 * padding + k;
        int bigW = (w - 1) * stride - 2 * padding + k;
        float[] x = Autograd.uniform(random, n * o * h * w, 1);
        float[] wt = Autograd.uniform(random, o * c * k * k, 1 / Math.sqrt(c * k * k));
        float[] up = Autograd.uniform(random, n * c * bigH * bigW, 1);
        Autograd.Run run = Autograd.run(m, List.of(Autograd.array(m, x, n, o, h, w), Autograd.array(m, wt, o, c, k, k)),
                in -> TransposedConv2d.ofConvolution(in.get(0), in.get(1), stride, padding), up);
        // the output is the convolution's input gradient for upstream x; the gradients of sum(out * up) are the
        // convolution of up (with respect to x) and the weight gradient of that convolution with upstream x
        Reference.Conv asAdjoint = Reference.conv2d(up, n, c, bigH, bigW, wt, o, k, null, stride, padding, x);
        return List.of(new Comparison("output", run.out(), asAdjoint.inputGrad()),
                new Comparison("input gradient", run.grads().get(0), asAdjoint.out()),
                new Comparison("weight gradient", run.grads().get(1), asAdjoint.weightGrad()));
    }
}
