package foil.data;

import foil.FoilException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;

/**
 * An image domain for unpaired translation: a dataset ({@link DataSource#locate}: a name or a directory of IDX
 * files), or some of its classes, as {@code NAME[:K[,K...]]} names it: {@code fashion-mnist:7} (sneakers),
 * {@code fashion-mnist:5,7} (sandals and sneakers), {@code mnist} (all of it). Training uses the train split's images
 * of those classes, measurement the test split's.
 */
public record Domain(String spec, DataSource source, int[] classes) {
    /** Parses {@code spec}; the classes are checked against the data when it is read. */
    public static Domain parse(String spec) {
        if (spec == null || spec.isBlank()) {
            throw new FoilException("no domain given: use NAME or NAME:K[,K...], e.g. fashion-mnist:7");
        }
        int colon = spec.lastIndexOf(':');
        if (colon <= 0 || Files.isDirectory(Path.of(spec))) {
            return new Domain(spec, DataSource.locate(spec), null);
        }
        String list = spec.substring(colon + 1);
        if (!list.matches("\\s*\\d+\\s*(,\\s*\\d+\\s*)*")) {
            throw new FoilException("domain '" + spec + "': after the ':' give a comma-separated list of class numbers, "
                    + "e.g. fashion-mnist:7 or fashion-mnist:5,7");
        }
        TreeSet<Integer> set = new TreeSet<>();
        for (String k : list.split(",")) {
            try {
                set.add(Integer.parseInt(k.strip()));
            } catch (NumberFormatException e) {
                throw new FoilException("domain '" + spec + "': class " + k.strip() + " is not a class number");
            }
        }
        return new Domain(spec, DataSource.locate(spec.substring(0, colon)), set.stream().mapToInt(i -> i).toArray());
    }

    /** Whether the domain is some classes of its dataset, not all of it. */
    public boolean hasClasses() {
        return classes != null;
    }

    /** The train split's images of the domain. */
    public ImageDataset train() {
        return select(source.train());
    }

    /** The test split's images of the domain. */
    public ImageDataset test() {
        return select(source.test());
    }

    /** Whether {@code label} is one of the domain's classes (every label is when it names none). */
    public boolean contains(int label) {
        return classes == null || Arrays.binarySearch(classes, label) >= 0;
    }

    /** The examples of {@code data} in the domain's classes, in order. */
    ImageDataset select(ImageDataset data) {
        if (classes == null) {
            return data;
        }
        for (int k : classes) {
            if (k >= data.numClasses()) {
                throw new FoilException("domain '" + spec + "': class " + k + " is out of range: " + source.name()
                        + " has classes 0 to " + (data.numClasses() - 1));
            }
        }
        int per = data.imageSize();
        int count = 0;
        for (int y : data.labels()) {
            count += contains(y) ? 1 : 0;
        }
        if (count == 0) {
            throw new FoilException("domain '" + spec + "': " + data.name() + " has no images of class "
                    + Arrays.toString(classes));
        }
        float[] pixels = new float[count * per];
        int[] labels = new int[count];
        int j = 0;
        for (int i = 0; i < data.size(); i++) {
            if (contains(data.labels()[i])) {
                System.arraycopy(data.pixels(), i * per, pixels, j * per, per);
                labels[j++] = data.labels()[i];
            }
        }
        return new ImageDataset(data.name() + " classes " + Arrays.toString(classes), pixels, labels, data.channels(),
                data.height(), data.width(), data.numClasses());
    }

    /** The spec, the class names where the dataset has them, and the dataset's files, for run.json. */
    public Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("spec", spec);
        if (classes != null) {
            m.put("classes", classes);
            String[] names = source.classNames(Arrays.stream(classes).max().orElse(0) + 1);
            m.put("class_names", Arrays.stream(classes).mapToObj(k -> names[k]).toList());
        }
        m.put("data", source.describe());
        return m;
    }
}
