package foil.attack;

import ai.djl.ndarray.NDArray;
import foil.model.Classifier;

/**
 * The fast gradient sign method (Goodfellow et al. 2015): one step of size eps along the sign of the
 * loss gradient, x' = clip(x + eps·sign(∇x L(x, y)), 0, 1); targeted, a step down the target's loss.
 */
public record Fgsm(float eps) implements Attack {
    public Fgsm {
        Budget.check(Norm.LINF, eps);
    }

    @Override
    public AttackResult run(Classifier classifier, NDArray x, NDArray labels, NDArray targets) {
        NDArray g = CrossEntropyGradient.ascent(classifier, x, labels, targets);
        NDArray adv = x.add(g.sign().muli(eps)).clip(0f, 1f);
        g.close();
        return AttackResult.of(classifier, x, adv, labels, targets);
    }

    @Override
    public String method() {
        return "fgsm";
    }

    @Override
    public Norm norm() {
        return Norm.LINF;
    }
}
