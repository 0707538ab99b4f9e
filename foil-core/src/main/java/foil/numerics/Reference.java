package foil.numerics;

/**
 * Independent float64 references for the operations Foil runs on the engine: explicit loops, the same sums a
 * textbook writes, no engine call. Arrays are row-major (NCHW for images, out × in × k × k for convolution
 * weights). Each gradient is of {@code sum(output * upstream)}, so one upstream array checks the whole adjoint.
 */
public final class Reference {
    private Reference() {}

    /** A convolution's output and the gradients of sum(out * upstream) with respect to input, weight and bias. */
    public record Conv(double[] out, double[] inputGrad, double[] weightGrad, double[] biasGrad) {}

    /** Output height (or width) of a convolution. */
    public static int convOut(int in, int kernel, int stride, int padding) {
        return (in + 2 * padding - kernel) / stride + 1;
    }

    /**
     * conv2d of x (n × c × h × w) with w (o × c × k × k), bias of o (or null), and its adjoint with
     * {@code upstream} (n × o × oh × ow; null for the forward pass only).
     */
    public static Conv conv2d(float[] x, int n, int c, int h, int w, float[] weight, int o, int k, float[] bias,
            int stride, int padding, float[] upstream) {
        int oh = convOut(h, k, stride, padding);
        int ow = convOut(w, k, stride, padding);
        double[] out = new double[n * o * oh * ow];
        double[] dx = new double[x.length];
        double[] dw = new double[weight.length];
        double[] db = new double[o];
        for (int b = 0; b < n; b++) {
            for (int f = 0; f < o; f++) {
                for (int i = 0; i < oh; i++) {
                    for (int j = 0; j < ow; j++) {
                        int at = ((b * o + f) * oh + i) * ow + j;
                        double acc = bias == null ? 0 : bias[f];
                        double up = upstream == null ? 0 : upstream[at];
                        for (int ch = 0; ch < c; ch++) {
                            for (int ki = 0; ki < k; ki++) {
                                int y = i * stride - padding + ki;
                                if (y < 0 || y >= h) {
                                    continue;
                                }
                                for (int kj = 0; kj < k; kj++) {
                                    int xx = j * stride - padding + kj;
                                    if (xx < 0 || xx >= w) {
                                        continue;
                                    }
                                    int xi = ((b * c + ch) * h + y) * w + xx;
                                    int wi = ((f * c + ch) * k + ki) * k + kj;
                                    acc += (double) x[xi] * weight[wi];
                                    dx[xi] += up * weight[wi];
                                    dw[wi] += up * x[xi];
                                }
                            }
                        }
                        out[at] = acc;
                        db[f] += up;
                    }
                }
            }
        }
        return new Conv(out, dx, dw, db);
    }

    /** y = x wᵀ + b for x (n × in), w (out × in): output and the gradients of sum(y * upstream). */
    public static Conv linear(float[] x, int n, int in, float[] weight, int out, float[] bias, float[] upstream) {
        double[] y = new double[n * out];
        double[] dx = new double[x.length];
        double[] dw = new double[weight.length];
        double[] db = new double[out];
        for (int r = 0; r < n; r++) {
            for (int u = 0; u < out; u++) {
                double acc = bias[u];
                double up = upstream[r * out + u];
                for (int i = 0; i < in; i++) {
                    acc += (double) x[r * in + i] * weight[u * in + i];
                    dx[r * in + i] += up * weight[u * in + i];
                    dw[u * in + i] += up * x[r * in + i];
                }
                y[r * out + u] = acc;
                db[u] += up;
            }
        }
        return new Conv(y, dx, dw, db);
    }

    /** Max pooling with a square window of {@code k} and stride {@code k}: output and input gradient. */
    public static double[][] maxPool(float[] x, int n, int c, int h, int w, int k, float[] upstream) {
        int oh = h / k;
        int ow = w / k;
        double[] out = new double[n * c * oh * ow];
        double[] dx = new double[x.length];
        for (int p = 0; p < n * c; p++) {
            for (int i = 0; i < oh; i++) {
                for (int j = 0; j < ow; j++) {
                    int best = -1;
                    for (int a = 0; a < k; a++) {
                        for (int b = 0; b < k; b++) {
                            int xi = (p * h + i * k + a) * w + j * k + b;
                            if (best < 0 || x[xi] > x[best]) {
                                best = xi;
                            }
                        }
                    }
                    int at = (p * oh + i) * ow + j;
                    out[at] = x[best];
                    dx[best] += upstream[at];
                }
            }
        }
        return new double[][] {out, dx};
    }

    /**
     * Batch norm over channels of x (n × c × s, s the spatial size): in training mode with the batch's mean and
     * biased variance, otherwise with the given running statistics. Output and the gradients of
     * sum(y * upstream) with respect to x, gamma and beta.
     */
    public static Conv batchNorm(float[] x, int n, int c, int s, float[] gamma, float[] beta, float[] runMean,
            float[] runVar, double eps, boolean training, float[] upstream) {
        double[] y = new double[x.length];
        double[] dx = new double[x.length];
        double[] dg = new double[c];
        double[] db = new double[c];
        int count = n * s;
        for (int ch = 0; ch < c; ch++) {
            double mean = 0;
            double var = 0;
            if (training) {
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        mean += x[(b * c + ch) * s + i];
                    }
                }
                mean /= count;
                for (int b = 0; b < n; b++) {
                    for (int i = 0; i < s; i++) {
                        double d = x[(b * c + ch) * s + i] - mean;
                        var += d * d;
                    }
                }
                var /= count;
            } else {
                mean = runMean[ch];
                var = runVar[ch];
            }
            double inv = 1 / Math.sqrt(var + eps);
            double sumUp = 0;
            double sumUpXhat = 0;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    int at = (b * c + ch) * s + i;
                    double xhat = (x[at] - mean) * inv;
                    y[at] = gamma[ch] * xhat + beta[ch];
                    sumUp += upstream[at];
                    sumUpXhat += upstream[at] * xhat;
                }
            }
            dg[ch] = sumUpXhat;
            db[ch] = sumUp;
            for (int b = 0; b < n; b++) {
                for (int i = 0; i < s; i++) {
                    int at = (b * c + ch) * s + i;
                    if (training) {
                        double xhat = (x[at] - mean) * inv;
                        dx[at] = gamma[ch] * inv * (upstream[at] - sumUp / count - xhat * sumUpXhat / count);
                    } else {
                        dx[at] = gamma[ch] * inv * upstream[at];
                    }
                }
            }
        }
        return new Conv(y, dx, dg, db);
    }

    /** The summed softmax cross-entropy of logits (n × k) at the labels, and its gradient: softmax - one-hot. */
    public static double[][] crossEntropy(float[] logits, int n, int k, long[] labels) {
        double loss = 0;
        double[] grad = new double[logits.length];
        for (int r = 0; r < n; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, logits[r * k + j]);
            }
            double z = 0;
            for (int j = 0; j < k; j++) {
                z += Math.exp(logits[r * k + j] - max);
            }
            double logZ = max + Math.log(z);
            loss += logZ - logits[r * k + (int) labels[r]];
            for (int j = 0; j < k; j++) {
                grad[r * k + j] = Math.exp(logits[r * k + j] - logZ) - (j == labels[r] ? 1 : 0);
            }
        }
        return new double[][] {{loss}, grad};
    }

    /** log(1 + e^s), computed without overflow. */
    public static double softplus(double s) {
        return s > 0 ? s + Math.log1p(Math.exp(-s)) : Math.log1p(Math.exp(s));
    }

    /** The logistic function. */
    public static double sigmoid(double s) {
        return s >= 0 ? 1 / (1 + Math.exp(-s)) : Math.exp(s) / (1 + Math.exp(s));
    }
}
