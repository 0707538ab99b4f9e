package foil.spark;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path this JVM runs with, for a child JVM that runs Foil's CLI: java.class.path, the Class-Path of the
 * jars on it (java -jar, and surefire's booter jar, list theirs there), and the jars a URL class loader added
 * (Spark's executors load the application's jars so).
 */
final class JvmClasspath {
    private JvmClasspath() {}

    static String current() {
        Set<String> entries = new LinkedHashSet<>();
        for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
            if (!e.isEmpty()) {
                add(entries, Path.of(e).toAbsolutePath());
            }
        }
        for (ClassLoader cl = Thread.currentThread().getContextClassLoader(); cl != null; cl = cl.getParent()) {
            if (cl instanceof URLClassLoader u) {
                for (URL url : u.getURLs()) {
                    fileOf(url.toString(), null).ifPresent(p -> add(entries, p));
                }
            }
        }
        return String.join(File.pathSeparator, entries);
    }

    private static void add(Set<String> entries, Path p) {
        if (!entries.add(p.toString()) || !p.toString().endsWith(".jar") || !Files.isRegularFile(p)) {
            return;
        }
        try (JarFile jar = new JarFile(p.toFile())) {
            Manifest m = jar.getManifest();
            String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
            if (cp != null) {
                for (String item : cp.trim().split("\\s+")) {
                    fileOf(item, p.getParent()).ifPresent(q -> entries.add(q.toString()));
                }
            }
        } catch (IOException e) {
            // not a readable jar: its own entry is enough
        }
    }

    /** A Class-Path item (a relative URL, or a file: URL) as a file. */
    private static java.util.Optional<Path> fileOf(String item, Path base) {
        try {
            if (item.startsWith("file:")) {
                return java.util.Optional.of(Path.of(new java.net.URI(item)));
            }
            if (item.contains(":") || base == null) {
                return java.util.Optional.empty();
            }
            return java.util.Optional.of(base.resolve(java.net.URLDecoder.decode(item,
                    java.nio.charset.StandardCharsets.UTF_8)).normalize());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return java.util.Optional.empty();
        }
    }
}
