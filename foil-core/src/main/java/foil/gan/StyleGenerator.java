package foil.gan;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.training.ParameterStore;
import ai.djl.training.initializer.Initializer;
import ai.djl.training.initializer.NormalInitializer;
import ai.djl.util.PairList;
import foil.nn.Convolution;
import foil.nn.Equalized;
import foil.nn.EqualizedLinear;
import foil.nn.ModulatedConv2d;
import foil.nn.PixelNorm;
import foil.nn.Resample;
import java.util.ArrayList;
import java.util.List;

/**
 * A small, faithful StyleGAN2 generator (Karras et al. 2019; 2020). The mapping network turns z into w: pixel norm,
 * then fully connected layers with LeakyReLU and a learning rate 100 times lower (λ = 0.01). The synthesis network
 * starts from a learned 4 × 4 constant. Each of its layers takes one style: an affine map of w (bias 1) gives the
 * scales of a {@link ModulatedConv2d modulated, demodulated 3 × 3 convolution}, then per-pixel noise with a learned
 * per-channel strength, a bias, and LeakyReLU 0.2 times √2. The demodulation's d and that √2 are applied through the
 * styles of the convolutions that read the activation (d commutes with the LeakyReLU, the noise and bias scaled by 1/d),
 * the same numbers without passes over it. The first layer of each resolution after 4 × 4 works on the
 * bilinearly upsampled features. Each resolution adds its toRGB (modulated 1 × 1, not demodulated) to the upsampled
 * image so far (the skip generator). The image is cropped to the data's size. w_avg, the moving average of w over
 * training (β = 0.995), is kept as a non-trained parameter for the truncation trick in W.
 */
public final class StyleGenerator extends AbstractBlock {
    static final float SLOPE = 0.2f;
    static final float GAIN = (float) Math.sqrt(2);
    private final int latent;
    private final int levels;
    private final int pad;
    private final List<EqualizedLinear> mapping = new ArrayList<>();
    private final Parameter constant;
    private final Parameter wAverage;
    private final List<Layer> layers = new ArrayList<>();
    private final List<Layer> toRgb = new ArrayList<>();
    private final List<Layer> styled = new ArrayList<>(); // every layer with an affine map: layers, then toRgb

    /** One styled layer: its affine map of w, its convolution, and its noise strength and bias. */
    private record Layer(EqualizedLinear affine, ModulatedConv2d conv, Parameter noiseStrength, Parameter bias,
            boolean upsample, int resolution, boolean rgb) {}

    /** widths[l]: the channels at level l (4 × 4 is level 0). */
    public StyleGenerator(int latent, int channels, int[] widths, int mappingLayers, int levels, int pad) {
        this.latent = latent;
        this.levels = levels;
        this.pad = pad;
        for (int i = 0; i < mappingLayers; i++) {
            mapping.add(addChildBlock("map" + i, new EqualizedLinear(latent, latent, GAIN, 0.01f, 0f)));
        }
        constant = addParameter(Parameter.builder().setName("constant").setType(Parameter.Type.WEIGHT)
                .optShape(new Shape(1, widths[0], 4, 4)).optInitializer(new NormalInitializer(1f)).build());
        wAverage = addParameter(Parameter.builder().setName("wAverage").setType(Parameter.Type.RUNNING_MEAN)
                .optShape(new Shape(latent)).optInitializer(Initializer.ZEROS).optRequiresGrad(false).build());
        int resolution = 4;
        for (int l = 0; l < levels; l++) {
            if (l > 0) {
                resolution *= 2;
                layers.add(layer("up" + l, widths[l - 1], widths[l], 3, true, resolution, false));
            }
            layers.add(layer("conv" + l, widths[l], widths[l], 3, false, resolution, false));
            toRgb.add(layer("rgb" + l, widths[l], channels, 1, false, resolution, true));
        }
        styled.addAll(layers);
        styled.addAll(toRgb);
        for (Layer layer : styled) { // layerScales takes all affine maps as one product
            Equalized eq = layer.affine().equalized();
            if (eq.scale() != styled.get(0).affine().equalized().scale() || eq.lrMultiplier() != 1f) {
                throw new IllegalStateException("StyleGenerator's affine maps must share their equalisation");
            }
        }
    }

    /** Whether layer i is the last of its resolution (toRGB reads its output). */
    private boolean lastOfLevel(int i) {
        return i == layers.size() - 1 || layers.get(i + 1).upsample();
    }

    private Layer layer(String name, int in, int out, int kernel, boolean up, int resolution, boolean rgb) {
        EqualizedLinear affine = addChildBlock(name + "affine", new EqualizedLinear(latent, in, 1f, 1f, 1f));
        ModulatedConv2d conv = addChildBlock(name + "conv", new ModulatedConv2d(in, out, kernel, !rgb));
        Parameter strength = rgb ? null : addParameter(Parameter.builder().setName(name + "noise")
                .setType(Parameter.Type.WEIGHT).optShape(new Shape(out)).optInitializer(Initializer.ZEROS).build());
        Parameter bias = addParameter(Parameter.builder().setName(name + "bias").setType(Parameter.Type.BIAS)
                .optShape(new Shape(out)).optInitializer(Initializer.ZEROS).build());
        return new Layer(affine, conv, strength, bias, up, resolution, rgb);
    }

    /** Styles the synthesis network takes, one per convolution: 1 + 2 per further resolution. */
    public int styles() {
        return layers.size();
    }

    /** The resolution each style acts at. */
    public int resolutionOf(int style) {
        return layers.get(style).resolution();
    }

    public int latent() {
        return latent;
    }

    /** w = mapping(z), n × latent. */
    public NDArray map(NDArray z) {
        NDArray h = PixelNorm.apply(z);
        for (EqualizedLinear fc : mapping) {
            h = Activation.leakyRelu(fc.apply(h), SLOPE).mul(GAIN);
        }
        return h;
    }

    /** The moving average of w (a copy in {@code scope}). */
    public NDArray wAverage(NDManager scope) {
        NDArray a = wAverage.getArray().duplicate();
        a.attach(scope);
        return a;
    }

    /** Moves w_avg towards the mean of this batch's w (β = 0.995), outside autograd. */
    public void track(NDArray w) {
        NDArray avg = wAverage.getArray();
        NDArray batchMean = w.stopGradient().mean(new int[] {0});
        NDArray updated = batchMean.sub(avg).mul(1 - 0.995f).add(avg);
        avg.set(updated.toFloatArray());
        batchMean.close();
        updated.close();
    }

    /**
     * The image for per-layer styles {@code ws} (n × styles × latent): the synthesis network, with fresh noise
     * drawn from {@code noise}'s generator scaled by each layer's strength ({@code noise} null: no noise at all).
     */
    public NDArray synthesize(NDArray ws, NoiseSource noise) {
        NDManager m = ws.getManager();
        long n = ws.getShape().get(0);
        NDArray c = constant.getArray().duplicate();
        c.attach(m);
        NDArray h = c.broadcast(new Shape(n).addAll(c.getShape().slice(1)));
        NDArray image = null;
        int level = 0;
        // h stands for carried ⊙ h (n × channels; null: h itself): each layer's demodulation d and the √2 of its
        // activation are applied by the styles of whatever reads h next, not by passes over h. That holds because
        // LeakyReLU(d·y + z) = d·LeakyReLU(y + z/d) for d > 0, and the upsampling acts on each channel alone.
        NDArray carried = null;
        NDArray[] scales = layerScales(ws);
        for (int i = 0; i < layers.size(); i++) {
            Layer layer = layers.get(i);
            if (layer.upsample()) {
                h = Resample.upBilinear(h);
            }
            ModulatedConv2d.Parts parts = layer.conv().parts(h, scales[i], carried);
            NDArray inverse = parts.inverse(); // 1/d, n × c
            h = parts.convolved();
            Shape s = h.getShape();
            if (noise != null) {
                h = h.add(noiseTerm(noise, m, s, perImage(layer.noiseStrength(), inverse, m)));
            }
            NDArray bias = perImage(layer.bias(), inverse, m).reshape(s.get(0), s.get(1), 1, 1);
            h = Activation.leakyRelu(h.add(bias), SLOPE);
            carried = inverse.pow(-1f).mul(GAIN);
            if (lastOfLevel(i)) {
                Layer rgb = toRgb.get(level++);
                NDArray y = rgb.conv().parts(h, scales[layers.size() + level - 1], carried).convolved()
                        .add(reshaped(rgb.bias(), m));
                image = image == null ? y : Resample.upBilinear(image).add(y);
            }
        }
        return Resample.pad(image, -pad, 0f);
    }

    /**
     * The scales s = A(w) of every styled layer, each from its own style in ws (n × styles × latent): the
     * convolutions' first (layer k reads style k), then toRGB's (each reads the last style of its resolution); each
     * n × in. The affine maps of all layers are taken as one: their equalised weights stacked into one matrix, one
     * product with ws and one bias, instead of a product, a bias and their scalings per layer; each layer's scales are
     * then a view of that product. The maps share their equalisation (fan-in latent, gain 1, learning rate 1), which
     * the constructor checks.
     */
    public NDArray[] layerScales(NDArray ws) {
        NDManager m = ws.getManager();
        NDList weights = new NDList();
        NDList biases = new NDList();
        for (Layer layer : styled) {
            weights.add(layer.affine().equalized().weightParameter().getArray());
            biases.add(layer.affine().equalized().biasParameter().getArray());
        }
        float scale = styled.get(0).affine().equalized().scale();
        NDArray w = NDArrays.concat(weights, 0); // Σ in × latent, made in the weights' manager: moved to ws's
        NDArray b = NDArrays.concat(biases, 0);
        w.attach(m);
        b.attach(m);
        Shape s = ws.getShape();
        NDArray product = ws.reshape(s.get(0) * s.get(1), s.get(2)).matMul(w.mul(scale).transpose()).add(b)
                .reshape(s.get(0), s.get(1), -1); // n × styles × Σ in, from one 2-D product
        NDArray[] scales = new NDArray[styled.size()];
        long offset = 0;
        for (int k = 0; k < styled.size(); k++) {
            long in = styled.get(k).affine().out();
            scales[k] = product.get(new NDIndex(":, {}, {}:{}", styleOf(k), offset, offset + in));
            offset += in;
        }
        return scales;
    }

    /** The style affine map {@code k} reads (the numbering of {@link #layerScales}). */
    public int styleOf(int k) {
        if (k < layers.size()) {
            return k;
        }
        int level = k - layers.size();
        int seen = -1;
        for (int i = 0; i < layers.size(); i++) {
            if (lastOfLevel(i)) {
                if (++seen == level) {
                    return i;
                }
            }
        }
        throw new IllegalArgumentException("no affine map " + k);
    }

    /** Affine map {@code k} alone (the numbering of {@link #layerScales}) applied to w (n × latent). */
    public NDArray affine(int k, NDArray w) {
        return styled.get(k).affine().apply(w);
    }

    /**
     * One draw of per-pixel noise (n × 1 × h × w) scaled per image and channel by {@code coefficients} (n × c): n × c ×
     * h × w, laid out as the convolutions lay out their outputs (channels last where
     * {@link Convolution#channelsLastForTraining} says so), so that adding it to the activation runs along one layout;
     * the same values either way.
     */
    private static NDArray noiseTerm(NoiseSource noise, NDManager m, Shape s, NDArray coefficients) {
        long n = s.get(0);
        long c = s.get(1);
        long h = s.get(2);
        long w = s.get(3);
        NDArray draw = noise.draw(m, new Shape(n, 1, h, w));
        if (!Convolution.channelsLastForTraining()) {
            return draw.mul(coefficients.reshape(n, c, 1, 1));
        }
        return draw.reshape(n, h, w, 1).mul(coefficients.reshape(n, 1, 1, c)).transpose(0, 3, 1, 2);
    }

    /** A per-channel parameter (c) times per-image factors (n × c), in {@code m}. */
    private static NDArray perImage(Parameter p, NDArray factors, NDManager m) {
        NDArray a = p.getArray().reshape(1, -1);
        a.attach(m);
        return factors.mul(a);
    }

    private static NDArray reshaped(Parameter p, NDManager m) {
        NDArray a = p.getArray().reshape(1, -1, 1, 1);
        a.attach(m);
        return a;
    }

    /** Where noise inputs come from: the engine's generator by default, or anything else (fixed draws for figures). */
    public interface NoiseSource {
        NDArray draw(NDManager m, Shape shape);

        NoiseSource ENGINE = (m, shape) -> m.randomNormal(shape);
    }

    /** w broadcast to every layer: n × styles × latent. */
    public NDArray broadcast(NDArray w) {
        long n = w.getShape().get(0);
        return w.expandDims(1).broadcast(new Shape(n, styles(), latent));
    }

    @Override
    protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training, PairList<String, Object> p) {
        return new NDList(synthesize(broadcast(map(inputs.singletonOrThrow())), NoiseSource.ENGINE));
    }

    @Override
    public Shape[] getOutputShapes(Shape[] inputShapes) {
        int size = (4 << (levels - 1)) - 2 * pad;
        return new Shape[] {new Shape(inputShapes[0].get(0), 1, size, size)};
    }

    @Override
    protected void initializeChildBlocks(NDManager manager, DataType dataType, Shape... inputShapes) {
        for (var child : getChildren().values()) {
            child.initialize(manager, dataType, new Shape(1, latent));
        }
    }
}
