package foil.metrics;

import ai.djl.ndarray.NDArray;

/**
 * Per-example size of a perturbation r = x_adv - x: its L-inf and L2 norms and Szegedy's distortion, the
 * root mean square sqrt(mean over pixels of r²).
 */
public record Distortion(float[] linf, float[] l2, float[] rms) {

    public static Distortion of(NDArray x, NDArray adversarial) {
        try (NDArray r = adversarial.sub(x).reshape(x.getShape().get(0), -1)) {
            long pixels = r.getShape().get(1);
            float[] linf;
            float[] l2;
            try (NDArray a = r.abs(); NDArray m = a.max(new int[] {1})) {
                linf = m.toFloatArray();
            }
            try (NDArray sq = r.square(); NDArray s = sq.sum(new int[] {1})) {
                float[] ss = s.toFloatArray();
                l2 = new float[ss.length];
                float[] rms = new float[ss.length];
                for (int i = 0; i < ss.length; i++) {
                    l2[i] = (float) Math.sqrt(ss[i]);
                    rms[i] = (float) Math.sqrt(ss[i] / pixels);
                }
                return new Distortion(linf, l2, rms);
            }
        }
    }
}
