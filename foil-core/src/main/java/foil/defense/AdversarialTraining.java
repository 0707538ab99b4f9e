package foil.defense;

import ai.djl.ndarray.NDArray;
import foil.FoilException;
import foil.attack.Norm;
import foil.attack.Pgd;
import foil.model.FoilModel;

/**
 * How training examples are made adversarial before each update: Madry et al.'s PGD (2018), Wong et al.'s
 * fast FGSM with a random start (2020), or TRADES (Zhang et al. 2019), which keeps the clean loss and adds
 * beta·KL(f(x) ‖ f(x')) for an x' in the ball that maximises that divergence. Every adversarial example
 * stays in [0, 1] and in the L-inf ball of radius eps.
 * <p>PGD and TRADES attack the model in inference mode (batch norm on its running statistics; TRADES' code
 * also puts {@code model.eval()} around its attack). Fast FGSM attacks it in
 * training mode, as Wong et al.'s code does (it calls {@code model.train()} once and never leaves it): batch
 * norm normalises by the batch's statistics, and the attack's forward pass updates the running statistics
 * too.
 */
public record AdversarialTraining(Method method, float eps, int steps, float stepSize, float tradesBeta) {

    /** The training attack. */
    public enum Method {
        PGD("pgd"),
        FGSM_FAST("fgsm-fast"),
        TRADES("trades");

        public final String cliName;

        Method(String cliName) {
            this.cliName = cliName;
        }

        public static Method of(String name) {
            return foil.CliNames.lookup(values(), m -> m.cliName, name, "adversarial training");
        }
    }

    public AdversarialTraining {
        if (!(eps > 0f) || eps > 1f) {
            throw new FoilException("--eps for adversarial training must be in (0, 1], not " + eps);
        }
        if (steps < 1 || steps > 1000) {
            throw new FoilException("--adv-steps must be between 1 and 1000, not " + steps);
        }
        if (!(stepSize > 0f) || !Float.isFinite(stepSize)) {
            throw new FoilException("--adv-step-size must be positive, not " + stepSize);
        }
        if (!(tradesBeta >= 0f) || !Float.isFinite(tradesBeta)) {
            throw new FoilException("--trades-beta must be non-negative, not " + tradesBeta);
        }
    }

    /** Defaults: PGD 7 steps of 2.5·eps/7; fast FGSM one step of 1.25·eps; TRADES 10 steps of eps/4, beta 6. */
    public static AdversarialTraining of(Method method, float eps, Integer steps, Float stepSize, Float beta) {
        int s = steps != null ? steps : switch (method) {
            case PGD -> 7;
            case FGSM_FAST -> 1;
            case TRADES -> 10;
        };
        float a = stepSize != null ? stepSize : switch (method) {
            case PGD -> 2.5f * eps / s;
            case FGSM_FAST -> 1.25f * eps;
            case TRADES -> eps / 4;
        };
        return new AdversarialTraining(method, eps, s, a, beta != null ? beta : 6f);
    }

    /**
     * The examples the update is computed on (for TRADES: the points that maximise the divergence, which the
     * trainer pairs with the clean batch). Belongs to the manager of {@code x}.
     */
    public NDArray perturb(FoilModel model, NDArray x, NDArray y) {
        return switch (method) {
            case PGD -> new Pgd(Norm.LINF, eps, stepSize, steps, true, 1).run(model, x, y, null).adversarial();
            case FGSM_FAST -> new Pgd(Norm.LINF, eps, stepSize, 1, true, 1).run(model.inTrainingMode(), x, y, null)
                    .adversarial();
            case TRADES -> TradesPerturbation.maximiseKl(model, x, eps, stepSize, steps);
        };
    }
}
