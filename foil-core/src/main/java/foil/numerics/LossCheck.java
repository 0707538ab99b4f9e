package foil.numerics;

import ai.djl.ndarray.NDManager;
import foil.attack.CrossEntropyGradient;
import foil.gan.MinimaxLoss;
import foil.gan.NonSaturatingLoss;
import java.util.List;
import java.util.Random;

/**
 * The losses Foil differentiates: softmax cross-entropy (attacks, training) on n × k logits, and the GAN losses
 * built on softplus (the discriminator's minimax loss, the non-saturating generator loss) on n scores; values
 * and gradients against closed forms (softmax minus one-hot; ∓sigmoid / n).
 */
public record LossCheck(int n, int k, boolean cheap) implements OpCheck {
    @Override
    public String op() {
        return "losses";
    }

    @Override
    public String shape() {
        return n + "x" + k + " logits, " + n + " scores";
    }

    @Override
    public List<Comparison> run(NDManager m, Random random) {
        float[] logits = Autograd.uniform(random, n * k, 6);
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            labels[i] = random.nextInt(k);
        }
        float[] one = {1f};
        Autograd.Run ce = Autograd.run(m, List.of(Autograd.array(m, logits, n, k)),
                a -> CrossEntropyGradient.perExample(a.get(0), m.create(labels)).sum(), one);
        double[][] ceRef = Reference.crossEntropy(logits, n, k, labels);

        float[] real = Autograd.uniform(random, n, 8);
        float[] fake = Autograd.uniform(random, n, 8);
        Autograd.Run d = Autograd.run(m, List.of(Autograd.array(m, real, n), Autograd.array(m, fake, n)),
                a -> new MinimaxLoss().discriminator(a.get(0), a.get(1)), one);
        Autograd.Run g = Autograd.run(m, List.of(Autograd.array(m, fake, n)),
                a -> new NonSaturatingLoss().generator(a.get(0)), one);
        double dLoss = 0;
        double gLoss = 0;
        double[] dReal = new double[n];
        double[] dFake = new double[n];
        double[] gFake = new double[n];
        for (int i = 0; i < n; i++) {
            dLoss += (Reference.softplus(-real[i]) + Reference.softplus(fake[i])) / n;
            gLoss += Reference.softplus(-fake[i]) / n;
            dReal[i] = -Reference.sigmoid(-real[i]) / n;
            dFake[i] = Reference.sigmoid(fake[i]) / n;
            gFake[i] = -Reference.sigmoid(-fake[i]) / n;
        }
        return List.of(new Comparison("cross-entropy", ce.out(), ceRef[0]),
                new Comparison("ce logit gradient", ce.grads().get(0), ceRef[1]),
                new Comparison("d loss (minimax)", d.out(), new double[] {dLoss}),
                new Comparison("d real gradient", d.grads().get(0), dReal),
                new Comparison("d fake gradient", d.grads().get(1), dFake),
                new Comparison("g loss (non-sat.)", g.out(), new double[] {gLoss}),
                new Comparison("g fake gradient", g.grads().get(0), gFake));
    }
}
