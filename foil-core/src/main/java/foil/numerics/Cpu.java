package foil.numerics;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** What the CPU is: its model name and the vector instruction sets it reports (Linux's /proc/cpuinfo). */
public record Cpu(String model, List<String> vectorIsa, int cores) {
    private static final List<String> VECTOR = List.of("sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c",
            "avx512f", "avx512dq", "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx512_fp16",
            "avx512_vp2intersect", "avx_vnni", "amx_bf16", "amx_tile", "amx_int8");

    public static Cpu detect() {
        String model = System.getProperty("os.arch");
        List<String> isa = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/cpuinfo"));
            for (String line : lines) {
                if (line.startsWith("model name") && model.equals(System.getProperty("os.arch"))) {
                    model = line.substring(line.indexOf(':') + 1).trim();
                }
                if (line.startsWith("flags") && isa.isEmpty()) {
                    List<String> flags = List.of(line.substring(line.indexOf(':') + 1).trim().split("\\s+"));
                    for (String f : VECTOR) {
                        if (flags.contains(f)) {
                            isa.add(f);
                        }
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            isa.add("unknown (no /proc/cpuinfo)");
        }
        return new Cpu(model, List.copyOf(isa), Runtime.getRuntime().availableProcessors());
    }

    public boolean hasAvx512() {
        return vectorIsa.contains("avx512f");
    }
}
