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

    /** How networks without batch norm draw (progressive growing, StyleGAN), as metrics.json states it. */
    String NO_BATCH_NORM = "no batch norm: every sample on its own";

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

    /**
     * The critic's scores of a real and a generated batch, {@code {D(real), D(fake)}}, each as {@link #score} gives
     * it. By default two passes; a critic whose images interact only within aligned groups may take both batches in
     * one pass, the same numbers with half the calls.
     */
    default NDArray[] scoreBoth(NDArray real, NDArray fake) {
        return new NDArray[] {score(real), score(fake)};
    }

    /**
     * {@code {D(x), ∇ₓD(x)}}, both differentiable in the critic's weights (for R1): by default a pass for the score
     * and one for the gradient; a critic that records its pass for the gradient gives the score from that pass.
     */
    default NDArray[] scoreWithInputGradient(NDArray x) {
        return new NDArray[] {score(x), criticInputGradient(x)};
    }

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

    /**
     * Moves a training schedule to {@code images} images shown (progressive growing: the resolution and the fade's
     * α) and returns the stage it is in; the trainer resets both optimizers when the stage changes. Networks without
     * a schedule stay in stage 0.
     */
    default int advance(long images) {
        return 0;
    }

    /** Where the schedule stands, for every log line (progressive growing: resolution and alpha); empty without one. */
    default java.util.Map<String, Object> schedule() {
        return java.util.Map.of();
    }

    /** A real batch as the critic sees it at this point of the schedule (progressive growing cross-fades it). */
    default NDArray prepareReal(NDArray real) {
        return real;
    }

    /**
     * G(z) for a training step, which may draw from the trainer's {@code random} (StyleGAN's style mixing): so a
     * resumed run draws the same as one that never stopped.
     */
    default NDArray generateForTraining(NDArray z, java.util.Random random) {
        return generate(z);
    }

    /**
     * G's images for {@code n} latents in inference mode with the truncation trick at ψ (1: none): by default the
     * latents pulled towards their mean 0; a style-based generator truncates in W instead.
     */
    default float[] sampleTruncated(float[] z, int n, double psi) {
        if (psi == 1) {
            return sampleInference(z, n);
        }
        float[] scaled = z.clone();
        for (int i = 0; i < scaled.length; i++) {
            scaled[i] *= (float) psi;
        }
        return sampleInference(scaled, n);
    }

    void save(DataOutputStream out) throws IOException;

    void load(DataInputStream in) throws IOException;

    @Override
    void close();
}
