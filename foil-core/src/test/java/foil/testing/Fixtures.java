package foil.testing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Test fixtures kept as class-path resources (models exported by the scripts in scripts/). */
public final class Fixtures {
    private Fixtures() {}

    /** Copies the resource {@code /folder/name} to {@code dir/name}, for code that reads files. */
    public static Path copy(String folder, String name, Path dir) throws IOException {
        Path p = dir.resolve(name);
        try (InputStream in = Fixtures.class.getResourceAsStream("/" + folder + "/" + name)) {
            Files.copy(in, p, StandardCopyOption.REPLACE_EXISTING);
        }
        return p;
    }

    /** A JSON array of numbers as floats. */
    public static float[] floats(JsonNode n) {
        float[] out = new float[n.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) n.get(i).asDouble();
        }
        return out;
    }
}
