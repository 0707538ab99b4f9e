package foil.data;

import foil.FoilException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an IDX image dataset lives: a name ({@code fashion-mnist}, {@code mnist}) or any directory holding
 * {@code train-images-idx3-ubyte[.gz]}, {@code train-labels-idx1-ubyte[.gz]} and the {@code t10k-} pair.
 */
public record DataSource(String name, Path dir) {
    public static final String SYSTEM_FASHION_MNIST = "/usr/share/datasets/fashion-mnist";
    private static final String[] FASHION_CLASSES = {"T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
        "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"};

    /**
     * Finds a dataset. {@code spec} is a directory, or a name searched in {@code $FOIL_DATA/NAME} and, for
     * fashion-mnist, in {@value #SYSTEM_FASHION_MNIST}.
     */
    public static DataSource locate(String spec) {
        return locate(spec, System.getenv("FOIL_DATA"));
    }

    static DataSource locate(String spec, String foilData) {
        if (spec == null || spec.isBlank()) {
            throw new FoilException("no dataset given: use --data fashion-mnist, --data mnist or --data DIR");
        }
        Path asDir = Path.of(spec);
        if (Files.isDirectory(asDir)) {
            DataSource s = new DataSource(asDir.getFileName() == null ? spec : asDir.getFileName().toString(),
                    asDir);
            s.requireFiles();
            return s;
        }
        List<Path> candidates = new ArrayList<>();
        String name = spec.toLowerCase(java.util.Locale.ROOT);
        if (!name.equals("fashion-mnist") && !name.equals("mnist") && !name.equals("kmnist")) {
            throw new FoilException("unknown dataset '" + spec + "': use fashion-mnist, mnist, kmnist or a "
                    + "directory holding train-images-idx3-ubyte[.gz] and its siblings");
        }
        if (foilData != null && !foilData.isBlank()) {
            candidates.add(Path.of(foilData, name));
        }
        if (name.equals("fashion-mnist")) {
            candidates.add(Path.of(SYSTEM_FASHION_MNIST));
        }
        for (Path c : candidates) {
            if (Files.isDirectory(c) && new DataSource(name, c).missingFiles().isEmpty()) {
                return new DataSource(name, c);
            }
        }
        String how = name.equals("fashion-mnist")
                ? "install it with 'sudo apt-get install dataset-fashion-mnist', or put the four IDX files in "
                        + "$FOIL_DATA/fashion-mnist, or pass --data DIR"
                : "put the four IDX files (train-images-idx3-ubyte.gz, ...) in $FOIL_DATA/" + name
                        + " or pass --data DIR";
        throw new FoilException("dataset " + name + " not found (looked in "
                + (candidates.isEmpty() ? "nothing: $FOIL_DATA is unset" : candidates.toString()) + "): " + how);
    }

    private void requireFiles() {
        List<String> missing = missingFiles();
        if (!missing.isEmpty()) {
            throw new FoilException("directory " + dir + " lacks " + String.join(", ", missing)
                    + " (with or without .gz): it must hold the four IDX files of a dataset");
        }
    }

    private List<String> missingFiles() {
        List<String> missing = new ArrayList<>();
        for (String base : fileNames()) {
            if (find(base) == null) {
                missing.add(base);
            }
        }
        return missing;
    }

    private static List<String> fileNames() {
        return List.of("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
                "t10k-labels-idx1-ubyte");
    }

    private Path find(String base) {
        for (String candidate : new String[] {base, base + ".gz", base.replace("-idx", ".idx"),
            base.replace("-idx", ".idx") + ".gz"}) {
            Path p = dir.resolve(candidate);
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    public ImageDataset train() {
        return load("train");
    }

    public ImageDataset test() {
        return load("t10k");
    }

    private ImageDataset load(String split) {
        requireFiles();
        Path imagesPath = find(split + "-images-idx3-ubyte");
        Path labelsPath = find(split + "-labels-idx1-ubyte");
        IdxArray images = Idx.read(imagesPath);
        IdxArray labels = Idx.read(labelsPath);
        int[] d = images.dims();
        int channels;
        int height;
        int width;
        if (d.length == 3) {
            channels = 1;
            height = d[1];
            width = d[2];
        } else if (d.length == 4) {
            channels = d[1];
            height = d[2];
            width = d[3];
        } else {
            throw new FoilException("images file " + imagesPath + " has " + d.length
                    + " dimensions: images need N×H×W or N×C×H×W");
        }
        if (labels.dims().length != 1) {
            throw new FoilException("labels file " + labelsPath + " has " + labels.dims().length
                    + " dimensions: labels need exactly one");
        }
        if (labels.dims()[0] != d[0]) {
            throw new FoilException("labels do not match images: " + labelsPath + " has " + labels.dims()[0]
                    + " labels but " + imagesPath + " has " + d[0] + " images");
        }
        int[] y = labels.toInts();
        int max = 0;
        for (int v : y) {
            if (v < 0) {
                throw new FoilException("labels file " + labelsPath + " holds a negative label");
            }
            max = Math.max(max, v);
        }
        float[] x = images.toUnitFloats();
        for (float v : x) {
            if (v < 0f || v > 1f) {
                throw new FoilException("images file " + imagesPath + " holds a value outside [0, 1]: "
                        + "float32 IDX images must already be scaled to [0, 1]");
            }
        }
        int classes = Math.max(10, max + 1);
        return new ImageDataset(name + "/" + (split.equals("t10k") ? "test" : "train"), x, y, channels, height,
                width, classes);
    }

    /** Class names where the dataset is known, else the class numbers. */
    public String[] classNames(int numClasses) {
        String[] names = new String[numClasses];
        for (int i = 0; i < numClasses; i++) {
            names[i] = name.equals("fashion-mnist") && i < FASHION_CLASSES.length ? FASHION_CLASSES[i]
                    : Integer.toString(i);
        }
        return names;
    }

    /** Files and their SHA-256, for run.json. */
    public Map<String, Object> describe() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", name);
        out.put("dir", dir.toAbsolutePath().toString());
        Map<String, String> hashes = new LinkedHashMap<>();
        for (String base : fileNames()) {
            Path p = find(base);
            if (p != null) {
                hashes.put(p.getFileName().toString(), sha256(p));
            }
        }
        out.put("sha256", hashes);
        return out;
    }

    static String sha256(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
            }
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return "unreadable: " + e.getMessage();
        }
    }
}
