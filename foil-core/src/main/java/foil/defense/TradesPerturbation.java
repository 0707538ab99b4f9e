package foil.defense;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import foil.model.Classifier;

/**
 * TRADES' inner maximisation (Zhang et al. 2019): from x + 0.001·N(0, 1), signed-gradient steps up
 * KL(softmax f(x) ‖ softmax f(x')), each projected on the L-inf ball around x and on [0, 1].
 */
public final class TradesPerturbation {
    private TradesPerturbation() {}

    /** KL(p ‖ softmax(logits)) per row, p given as probabilities. */
    public static NDArray kl(NDArray p, NDArray logits) {
        NDArray logQ = logits.logSoftmax(1);
        return p.mul(p.add(1e-12f).log().sub(logQ)).sum(new int[] {1});
    }

    public static NDArray maximiseKl(Classifier model, NDArray x, float eps, float stepSize, int steps) {
        NDManager batch = x.getManager();
        NDArray p = model.logits(x).softmax(1);
        NDArray adv = x.add(batch.randomNormal(x.getShape()).mul(0.001f)).clip(0f, 1f);
        NDArray lo = x.sub(eps);
        NDArray hi = x.add(eps);
        for (int i = 0; i < steps; i++) {
            NDArray previous = adv;
            try (NDManager step = batch.newSubManager()) {
                adv.tempAttach(step);
                NDArray g = foil.nn.InputGradient.of(adv, in -> kl(p, model.differentiableLogits(in)).sum());
                NDArray next = g.sign().muli(stepSize).addi(adv).maximum(lo).minimum(hi).clip(0f, 1f);
                next.attach(batch);
                adv = next;
            }
            previous.close();
        }
        return adv;
    }
}
