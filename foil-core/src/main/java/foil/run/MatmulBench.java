package foil.run;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import foil.Foil;
import java.util.LinkedHashMap;
import java.util.Map;

/** The machine's float32 matrix-multiply throughput through the same engine, the peak attacks compare to. */
public record MatmulBench(int size, int repeats) {

    public Map<String, Object> execute() {
        try (NDManager m = NDManager.newBaseManager(Foil.device())) {
            NDArray a = m.randomUniform(-1f, 1f, new Shape(size, size));
            NDArray b = m.randomUniform(-1f, 1f, new Shape(size, size));
            a.matMul(b).close(); // warm-up
            double best = 0;
            for (int r = 0; r < repeats; r++) {
                long start = System.nanoTime();
                try (NDArray c = a.matMul(b)) {
                    c.getFloat(0, 0); // wait for the result
                }
                double s = (System.nanoTime() - start) / 1e9;
                best = Math.max(best, 2.0 * size * size * (double) size / s / 1e9);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("bench", "matmul");
            out.put("size", size);
            out.put("threads", Integer.getInteger("ai.djl.pytorch.num_threads", 0));
            out.put("gflops_per_second", best);
            return out;
        }
    }
}
