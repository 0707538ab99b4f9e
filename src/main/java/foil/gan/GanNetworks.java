package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Block;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/** A generator and a discriminator the {@link GanTrainer} trains. */
public interface GanNetworks extends AutoCloseable {
    /** How {@link #sample} draws, as metrics.json states it. */
    String TRAINING_MODE = "training-mode batch norm (each batch's statistics), as the run's own samples";

    /** How {@link #sampleInference} draws, as metrics.json states it. */
    String INFERENCE_MODE = "inference (batch norm running statistics)";

    int latent();

    /**
     * Which weights the generator holds: "raw" (the trained ones) or "ema" (their moving average, installed by
     * {@link GanTrainer#loadNetworks} where a run kept one).
     */
    default String generatorWeights() {
        return "raw";
    }

    Block generatorBlock();

    Block criticBlock();

    NDManager manager();

    /** G(z), recorded for autograd inside a gradient collector. */
    NDArray generate(NDArray z);

    /**
     * The generator in inference mode: batch norm with its running statistics, so a sample does not depend on the
     * rest of its batch, and scaling the latents (truncation) is not normalised away.
     */
    NDArray generateInference(NDArray z);

    /** The discriminator's raw score (logit or critic value), one per row. */
    NDArray score(NDArray x);

    /** ∇ₓD(x) per row as an expression differentiable in the critic's weights (for WGAN-GP). */
    NDArray criticInputGradient(NDArray x);

    /** {@code n} generated samples, flattened, from noise drawn with {@code seed} (no autograd record). */
    default float[] sample(int n, long seed) {
        java.util.Random r = new java.util.Random(seed);
        float[] z = new float[n * latent()];
        for (int i = 0; i < z.length; i++) {
            z[i] = (float) r.nextGaussian();
        }
        return sample(z, n);
    }

    /** The generator's outputs in inference mode for {@code n} latents (flattened n × latent). */
    default float[] sampleInference(float[] z, int n) {
        try (NDManager m = manager().newSubManager()) {
            return generateInference(m.create(z, new ai.djl.ndarray.types.Shape(n, latent()))).toFloatArray();
        }
    }

    /** The generator's outputs for {@code n} given latents (flattened n × latent), no autograd record. */
    default float[] sample(float[] z, int n) {
        try (NDManager m = manager().newSubManager()) {
            return generate(m.create(z, new ai.djl.ndarray.types.Shape(n, latent()))).toFloatArray();
        }
    }

    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;

    @Override
    void close();
}
