package foil.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import foil.gan.GanTrainer;
import foil.io.Json;
import foil.testing.Synthetic;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The CLI end to end on a small synthetic IDX dataset: train, eval, attack, sweep, and every kind of bad input. */
class CliTest {
    @TempDir
    static Path dir;
    static Path data;
    static Path model;

    record Run(int code, String err) {}

    static Run foil(String... args) {
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(err, true), args);
        return new Run(code, err.toString());
    }

    @BeforeAll
    static void trainOnce() throws Exception {
        System.setProperty("foil.quiet", "true");
        data = Synthetic.writeIdx(dir.resolve("data"), 300);
        model = dir.resolve("model");
        Run r = foil("train", "--data", data.toString(), "--arch", "mlp", "--epochs", "10", "--batch", "30",
                "--lr", "0.01", "--out", model.toString());
        assertEquals(0, r.code(), r.err());
    }

    /**
     * Every command and subcommand answers --help with its usage and exit code 0, whatever else it requires; but
     * {@code spark}, whose help is the Spark module's own (handed to its jar, which a clean checkout has not built
     * when the core's tests run).
     */
    @Test
    void everyCommandAnswersHelp() {
        List<List<String>> paths = new java.util.ArrayList<>();
        collect(new picocli.CommandLine(new Main()), new java.util.ArrayList<>(), paths);
        assertTrue(paths.size() > 20, paths.toString());
        for (List<String> path : paths) {
            List<String> args = new java.util.ArrayList<>(path);
            args.add("--help");
            Run r = foil(args.toArray(String[]::new));
            assertEquals(0, r.code(), String.join(" ", args) + ": " + r.err());
        }
    }

    private static void collect(picocli.CommandLine cli, List<String> path, List<List<String>> out) {
        for (var e : cli.getSubcommands().entrySet()) {
            if (!e.getKey().equals(e.getValue().getCommandName())) {
                continue; // an alias
            }
            if (path.isEmpty() && e.getKey().equals("spark")) {
                continue;
            }
            List<String> p = new java.util.ArrayList<>(path);
            p.add(e.getKey());
            out.add(p);
            collect(e.getValue(), p, out);
        }
    }

    @Test
    void trainWritesTheModelAndItsRecord() throws Exception {
        for (String f : new String[] {"model.params", "model.json", "run.json", "metrics.json", "training.png"}) {
            assertTrue(Files.isRegularFile(model.resolve(f)), f);
        }
        JsonNode metrics = Json.MAPPER.readTree(model.resolve("metrics.json").toFile());
        assertTrue(metrics.get("test_accuracy").asDouble() > 0.8, metrics.toString());
        JsonNode run = Json.MAPPER.readTree(model.resolve("run.json").toFile());
        assertEquals(0, run.get("seed").asInt());
        assertTrue(run.get("versions").has("pytorch"));
        assertTrue(run.get("data").get("sha256").size() == 4);
        assertEquals("train", run.get("command").asText());
        JsonNode options = run.get("options"); // from picocli's parse: given, default and the mixins' --data, --out
        assertEquals("mlp", options.get("arch").asText());
        assertEquals(10, options.get("epochs").asInt());
        assertEquals(1000, options.get("robust_n").asInt());
        assertEquals(data.toString(), options.get("data").asText());
        assertEquals(model.toString(), options.get("out").asText());
        assertTrue(options.has("adversarial") && options.get("adversarial").isNull(), options.toString());
        assertFalse(options.has("seed") || options.has("force") || options.has("help"), options.toString());
        JsonNode info = Json.MAPPER.readTree(model.resolve("model.json").toFile());
        assertEquals("mlp", info.get("architecture").asText());
    }

    @Test
    void fidScoresTwoSourcesWithTheFloorAndExchangesStatistics() throws Exception {
        System.setProperty("foil.cache", dir.resolve("cache").toString());
        Path out = dir.resolve("fid");
        Run r = foil("fid", data.toString(), data + ":train", "--n", "200", "--kid-subsets", "5", "--kid-subset-size",
                "100", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        for (String k : new String[] {"fid", "fid_inf", "kid", "kid_std", "precision", "recall", "density", "coverage",
            "n_real", "n_fake", "feature_network", "feature_dimension", "fid_floor", "kid_floor"}) {
            assertTrue(m.has(k), k + " in " + m);
        }
        assertTrue(m.get("feature_network").asText().startsWith("Foil cnn, penultimate"), m.toString());
        assertEquals(75, m.get("n_real").asInt()); // the synthetic test split
        assertEquals(200, m.get("n_fake").asInt());
        JsonNode options = Json.MAPPER.readTree(out.resolve("run.json").toFile()).get("options");
        assertEquals(data + ":train", options.get("b").asText());
        assertEquals(5, options.get("kid_subsets").asInt());
        assertEquals("penultimate", options.get("layer").asText());
        assertTrue(options.get("features").isNull(), options.toString());
        assertTrue(m.get("fid").asDouble() > 0 && m.get("fid_floor").asDouble() > 0, m.toString());

        Path again = dir.resolve("fid-stats");
        r = foil("fid", out.resolve("a_stats.npz").toString(), out.resolve("b_stats.npz").toString(), "--out",
                again.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode s = Json.MAPPER.readTree(again.resolve("metrics.json").toFile());
        assertEquals(m.get("fid").asDouble(), s.get("fid").asDouble(), 1e-9 * m.get("fid").asDouble());
        assertFalse(s.has("kid"), "statistics alone give FID alone");

        Path junk = dir.resolve("junk.npz");
        new foil.io.Npz().addFloat32("x", new float[] {1, 2}, 2).write(junk);
        for (String[] bad : new String[][] {
            {"fid", dir.resolve("missing.npz").toString(), data.toString(), "--out", dir.resolve("f1").toString()},
            {"fid", junk.toString(), out.resolve("b_stats.npz").toString(), "--out", dir.resolve("f2").toString()},
            {"fid", data.toString(), data.toString(), "--n", "1", "--out", dir.resolve("f3").toString()}}) {
            Run b = foil(bad);
            assertEquals(2, b.code(), String.join(" ", bad) + ": " + b.err());
            assertEquals(1, b.err().strip().lines().count(), b.err());
            assertFalse(b.err().contains("Exception"), b.err());
        }
    }

    @Test
    void minimalPerturbationAttacksReportTheirDistribution() throws Exception {
        String m = model.toString();
        String d = data.toString();
        for (String[] method : new String[][] {{"cw", "--steps", "30", "--search-rounds", "3"}, {"deepfool"},
            {"deepfool", "--norm", "linf"}}) {
            Path out = dir.resolve("minimal-" + String.join("-", method));
            List<String> args = new java.util.ArrayList<>(List.of("attack", "--model", m, "--data", d, "--n", "20",
                    "--out", out.toString(), "--method"));
            args.addAll(List.of(method));
            Run r = foil(args.toArray(String[]::new));
            assertEquals(0, r.code(), r.err());
            JsonNode metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
            assertEquals("untargeted", metrics.get("goal").asText());
            assertEquals(method.length == 3 ? "linf" : "l2", metrics.get("norm").asText());
            for (String k : new String[] {"median_l2", "median_linf", "l2_histogram", "linf_histogram",
                "accuracy_vs_eps", "accuracy_vs_eps_norm", "minimal_over"}) {
                assertTrue(metrics.has(k), k + " in " + metrics);
            }
            assertTrue(metrics.get("median_l2").asDouble() > 0, metrics.toString());
            JsonNode h = metrics.get("l2_histogram");
            assertEquals(h.get("edges").size(), h.get("counts").size() + 1);
            JsonNode curve = metrics.get("accuracy_vs_eps");
            assertEquals(metrics.get("clean_accuracy").asDouble(), curve.get(0).get("accuracy").asDouble(), 1e-9);
            assertTrue(Files.size(out.resolve("minimal_perturbations.png")) > 1000);
        }
        String[][] cases = {
            {"attack", "--model", m, "--data", d, "--method", "cw", "--confidence", "-1"},
            {"attack", "--model", m, "--data", d, "--method", "cw", "--norm", "linf"},
            {"attack", "--model", m, "--data", d, "--method", "cw", "--eps", "0.5"},
            {"attack", "--model", m, "--data", d, "--method", "cw", "--search-rounds", "0"},
            {"attack", "--model", m, "--data", d, "--method", "deepfool", "--overshoot", "-0.1"},
            {"attack", "--model", m, "--data", d, "--method", "deepfool", "--target", "3"},
            {"attack", "--model", m, "--data", d, "--method", "deepfool", "--norm", "l1"},
            {"attack", "--model", m, "--data", d, "--method", "pgd", "--eps", "0.1", "--overshoot", "0.1"},
            {"sweep", "--model", m, "--data", d, "--method", "deepfool", "--eps", "0.1"},
        };
        for (String[] c : cases) {
            List<String> args = new java.util.ArrayList<>(List.of(c));
            args.addAll(List.of("--out", dir.resolve("minimal-bad").toString()));
            Run r = foil(args.toArray(String[]::new));
            assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n") || err.contains("Exception"), "one line: " + err);
            assertTrue(err.startsWith("foil: "), err);
        }
        assertFalse(Files.exists(dir.resolve("minimal-bad")), "no output for a rejected run");
    }

    @Test
    void fabTargetedRunsFromTheCommandLineWithinItsBudget() throws Exception {
        Path out = dir.resolve("fab-t");
        Run r = foil("attack", "--model", model.toString(), "--data", data.toString(), "--method", "fab-t", "--eps",
                "0.2", "--steps", "10", "--target-classes", "3", "--n", "20", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals("fab-t", m.get("method").asText());
        assertTrue(m.get("max_linf").asDouble() <= 0.2 + 1e-6, m.toString());
        Run noEps = foil("attack", "--model", model.toString(), "--data", data.toString(), "--method", "fab-t",
                "--out", dir.resolve("fab-t-bad").toString());
        assertEquals(2, noEps.code(), noEps.err());
        assertTrue(noEps.err().contains("--eps"), noEps.err());
    }

    @Test
    void attackWritesMetricsFigureAndExamples() throws Exception {
        Path out = dir.resolve("attack");
        Run r = foil("attack", "--model", model.toString(), "--data", data.toString(), "--method", "pgd", "--eps",
                "0.2", "--steps", "10", "--n", "40", "--save-examples", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        for (String k : new String[] {"method", "norm", "eps", "n", "clean_accuracy", "robust_accuracy",
            "attack_success_rate", "mean_linf", "mean_l2", "mean_rms", "images_per_second"}) {
            assertTrue(m.has(k), k);
        }
        assertTrue(m.get("max_linf").asDouble() <= 0.2 + 1e-6);
        assertTrue(m.get("robust_accuracy").asDouble() < m.get("clean_accuracy").asDouble());
        assertTrue(Files.size(out.resolve("adversarial_examples.png")) > 1000);
        try (ZipFile zip = new ZipFile(out.resolve("examples.npz").toFile())) {
            for (String e : new String[] {"x.npy", "x_adv.npy", "y.npy", "pred_adv.npy"}) {
                assertTrue(zip.getEntry(e) != null, e);
            }
            byte[] head = zip.getInputStream(zip.getEntry("x_adv.npy")).readNBytes(128);
            String header = new String(head, java.nio.charset.StandardCharsets.US_ASCII);
            assertTrue(header.contains("'descr': '<f4'") && header.contains("(40, 1, 12, 12)"), header);
            long size = zip.getEntry("x_adv.npy").getSize();
            assertEquals(0, (size - 40L * 144 * 4) % 64, "header padded to 64 bytes");
        }
    }

    @Test
    void sweepWritesJsonCsvAndChart() throws Exception {
        Path out = dir.resolve("sweep");
        Run r = foil("sweep", "--model", model.toString(), "--data", data.toString(), "--method", "fgsm", "--eps",
                "0,0.1,0.3", "--n", "50", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(3, m.get("points").size());
        double a0 = m.get("points").get(0).get("robust_accuracy").asDouble();
        double a2 = m.get("points").get(2).get("robust_accuracy").asDouble();
        assertEquals(m.get("clean_accuracy").asDouble(), a0, 1e-9);
        assertTrue(a2 < a0);
        assertEquals(4, Files.readAllLines(out.resolve("sweep.csv")).size());
        assertTrue(Files.isRegularFile(out.resolve("accuracy_vs_eps.png")));
        Path both = dir.resolve("sweep2");
        assertEquals(0, foil("sweep", "--model", model.toString(), "--data", data.toString(), "--method", "fgsm", "--eps",
                "0,0.1", "--n", "30", "--compare", model.toString(), "--out", both.toString()).code());
        JsonNode compared = Json.MAPPER.readTree(both.resolve("metrics.json").toFile()).get("compared");
        assertEquals(1, compared.size());
        assertEquals(2, compared.elements().next().get("points").size());
    }

    @Test
    void badInputGetsOneLineAndExitCodeTwo() throws Exception {
        Path corrupt = dir.resolve("corrupt");
        Files.createDirectories(corrupt);
        for (String f : new String[] {"train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
            "t10k-labels-idx1-ubyte"}) {
            Files.write(corrupt.resolve(f), new byte[] {0, 0, 8, 1, 0, 0, 0, 9, 1});
        }
        Path occupied = dir.resolve("occupied");
        Files.createDirectories(occupied);
        Files.writeString(occupied.resolve("precious.txt"), "mine");
        String m = model.toString();
        String d = data.toString();
        String[][] cases = {
            {"attack", "--model", m, "--data", d, "--method", "fgsm", "--eps", "-0.1", "--out", dir.resolve("x1").toString()},
            {"attack", "--model", m, "--data", d, "--method", "pgd", "--eps", "7", "--out", dir.resolve("x2").toString()},
            {"attack", "--model", m, "--data", d, "--method", "deepfake", "--eps", "0.1", "--out", dir.resolve("x3").toString()},
            {"train", "--data", d, "--arch", "resnet9000", "--out", dir.resolve("x4").toString()},
            {"train", "--data", corrupt.toString(), "--out", dir.resolve("x5").toString()},
            {"train", "--data", dir.resolve("nowhere").toString(), "--out", dir.resolve("x6").toString()},
            {"eval", "--model", dir.resolve("corrupt/train-images-idx3-ubyte").toString(), "--data", d},
            {"attack", "--model", m, "--data", d, "--method", "fgsm", "--eps", "0.1", "--out", occupied.toString()},
            {"attack", "--model", m, "--data", d, "--method", "fgsm", "--eps", "0.1", "--out", occupied.toString(), "--force"},
            {"train", "--data", d, "--no-such-option"},
            {"sweep", "--model", m, "--data", d, "--eps", "0,abc", "--out", dir.resolve("x7").toString()},
            {"demo", "--data", d, "--fail-section", "nosuch", "--out", dir.resolve("x8").toString()},
            {"transfer", "--models", m + "," + m, "--data", d, "--method", "fgsm", "--eps", "0.1", "--target", "12",
                "--out", dir.resolve("x9").toString()},
        };
        for (String[] c : cases) {
            Run r = foil(c);
            assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
            String err = r.err().strip();
            assertFalse(err.contains("\n"), "one line: " + err);
            assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
            assertTrue(err.startsWith("foil: "), err);
        }
        assertEquals("mine", Files.readString(occupied.resolve("precious.txt")));
        assertEquals(1, Files.list(occupied).count(), "nothing written into a directory Foil does not own");
        assertFalse(Files.exists(dir.resolve("x1")) || Files.exists(dir.resolve("x8")) || Files.exists(dir.resolve("x9")),
                "no output for a rejected run");
    }

    @Test
    void demoWritesAReportWhoseFiguresExist() throws Exception {
        Path out = dir.resolve("demo");
        Run r = foil("demo", "--data", data.toString(), "--epochs", "1", "--sweep-n", "20", "--attack-n", "20",
                "--lbfgs-n", "4", "--robust-n", "100", "--eval-n", "20", "--mog-iters", "20", "--arch-images", "0",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        int images = 0;
        while (m.find()) {
            assertTrue(Files.size(out.resolve(m.group(1))) > 1000, m.group(1));
            images++;
        }
        assertEquals(20, images, "9 figures, the three minimal-perturbation histograms, the robust-vs-standard "
                + "curves, the robust model's training, the evaluation's chart, two probes and the grid of Gaussians' "
                + "two sample plots and comparison");
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertTrue(metrics.has("test_accuracy") && metrics.has("lbfgs") && metrics.has("pgd") && metrics.has("robust")
                && metrics.has("probe") && metrics.get("mog").get("minimax").has("modes_covered"));
        assertTrue(html.contains("robust_vs_standard.png") && html.contains("probe/probe.png")
                && html.contains("evaluation.png"));
        assertTrue(metrics.get("minimal").has("cw") && metrics.get("minimal").has("deepfool"), metrics.toString());
        JsonNode evaluation = metrics.get("evaluation");
        for (String k : new String[] {"evaluate-standard", "evaluate-robust", "evaluate-masked"}) {
            assertEquals(4, evaluation.get(k).get("per_attack").size(), k + ": " + evaluation);
            assertTrue(Files.isRegularFile(out.resolve(k).resolve("per_image.csv")), k);
        }

        assertEquals(0, foil("gan", "mog", "--resume", out.resolve("mog-minimax").toString()).code(),
                "the demo's grid runs record their command line, so they resume with their own settings");
        assertEquals("minimax", Json.MAPPER.readTree(out.resolve("mog-minimax/metrics.json").toFile()).get("loss").asText());
        assertEquals(2, foil("demo", "--data", data.toString(), "--out", out.toString()).code(),
                "an earlier run is kept unless --force");
    }

    @Test
    void theDemoMeasuresItsGenerator() throws Exception {
        Path images = Synthetic.writeIdx(dir.resolve("demo28"), 96, 28);
        Path out = dir.resolve("demo-gan");
        System.setProperty("foil.cache", dir.resolve("cache").toString());
        Run r = foil("demo", "--data", images.toString(), "--epochs", "1", "--sweep-n", "10", "--attack-n", "5",
                "--lbfgs-n", "2", "--robust-n", "100", "--eval-n", "0", "--gan-epochs", "1", "--mog-iters", "0",
                "--arch-images", "448",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        String html = Files.readString(out.resolve("index.html"));
        assertTrue(html.contains("<section><h2>How good is the generator?"), "the section is there");
        for (String f : new String[] {"gan-truncation/tradeoff.png", "gan-interpolation/interpolation.png",
            "gan-provenance/roc.png", "gan-provenance/hardest.png"}) {
            assertTrue(html.contains(f) && Files.size(out.resolve(f)) > 1000, f);
        }
        JsonNode q = Json.MAPPER.readTree(out.resolve("metrics.json").toFile()).get("generator_quality");
        assertTrue(q.get("fid").asDouble() > 0 && q.get("fid_floor").isNumber(), q.toString());
        assertTrue(q.get("feature_network").asText().startsWith("Foil cnn"), q.toString());
        assertTrue(q.get("auc_vs_real").isNumber() && q.get("auc_vs_other").size() == 1, q.toString());
        assertTrue(html.contains("<section><h2>GANs at scale"), "the architectures' section is there");
        for (String f : new String[] {"progressive/growth.png", "stylegan-mix/mixing.png", "stylegan-mix/noise.png"}) {
            assertTrue(html.contains(f) && Files.size(out.resolve(f)) > 1000, f);
        }
        JsonNode a = Json.MAPPER.readTree(out.resolve("metrics.json").toFile()).get("gan_architectures");
        assertEquals(3, a.get("comparison").size(), "DCGAN, progressive and StyleGAN on one feature network: " + a);
        for (JsonNode row : a.get("comparison")) {
            assertTrue(row.get("fid").asDouble() > 0 && row.get("kid").isNumber(), row.toString());
        }
        assertEquals(6, a.get("mixing").size(), "a row per crossover layer of StyleGAN's 7 styles: " + a);
    }

    @Test
    void aDemoSectionThatFailsIsReportedAndTheOthersStillRun() throws Exception {
        Path out = dir.resolve("demo-failing");
        Run r = foil("demo", "--data", data.toString(), "--epochs", "1", "--sweep-n", "20", "--attack-n", "20",
                "--lbfgs-n", "4", "--robust-n", "100", "--eval-n", "0", "--gan-epochs", "0", "--mog-iters", "0",
                "--fail-section",
                "robust", "--out", out.toString());
        assertEquals(1, r.code(), "a failed section makes the exit code 1: " + r.err());
        List<String> err = r.err().strip().lines().toList();
        assertEquals(1, err.size(), "one line per failed section: " + err);
        assertTrue(err.get(0).startsWith("foil demo: section robust failed: java.lang.IllegalStateException: "),
                err.get(0));
        String html = Files.readString(out.resolve("index.html"));
        for (String heading : new String[] {"The classifier", "Accuracy against epsilon", "PGD examples",
            "Minimal perturbations by box-constrained L-BFGS", "What hidden units respond to",
            "The toy GAN of the lecture", "The Nash equilibrium is a saddle point"}) {
            assertTrue(html.contains("<section><h2>" + heading), "the other sections are there: " + heading);
        }
        java.util.regex.Matcher box = java.util.regex.Pattern.compile("<section class=\"failed\"><h2>([^<]*)</h2>\\s*"
                + "<div class=\"failure\">(.*?)</div>", java.util.regex.Pattern.DOTALL).matcher(html);
        assertTrue(box.find(), "a failure box");
        assertEquals("A robust model against a standard one", box.group(1));
        assertTrue(box.group(2).contains("<code>robust</code>") && box.group(2).contains("IllegalStateException")
                && box.group(2).contains("on purpose"), box.group(2));
        assertFalse(box.find(), "one failure box only");
        java.util.regex.Matcher img = java.util.regex.Pattern.compile("<img src=\"([^\"]+)\"").matcher(html);
        while (img.find()) {
            assertTrue(Files.size(out.resolve(img.group(1))) > 1000, img.group(1));
            assertFalse(img.group(1).contains("robust"), "no figure of the failed section: " + img.group(1));
        }
        JsonNode metrics = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertTrue(metrics.has("pgd") && metrics.has("lbfgs") && metrics.has("probe") && metrics.has("gan_toy"));
        assertFalse(metrics.has("robust"));
        JsonNode failed = metrics.get("failed_sections");
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("robust", failed.get(0).get("section").asText());
        assertTrue(failed.get(0).get("error").asText().startsWith("java.lang.IllegalStateException: "), failed.toString());

        Path none = dir.resolve("demo-no-classifier");
        r = foil("demo", "--data", data.toString(), "--fail-section", "classifier", "--out", none.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().strip().startsWith("foil demo: the classifier could not be trained, so no other section ran: "),
                r.err());
        html = Files.readString(none.resolve("index.html"));
        assertTrue(html.contains("<section class=\"failed\"><h2>The classifier</h2>") && html.contains("none ran"), html);
        assertFalse(html.contains("<img"), "nothing else ran");
        assertEquals("classifier", Json.MAPPER.readTree(none.resolve("metrics.json").toFile()).get("failed_sections")
                .get(0).get("section").asText());
    }

    @Test
    void transferProbeAndFeaturesWriteTheirResults() throws Exception {
        Path other = dir.resolve("softmax");
        assertEquals(0, foil("train", "--data", data.toString(), "--arch", "softmax", "--epochs", "3", "--out",
                other.toString()).code());
        Path t = dir.resolve("transfer");
        Run r = foil("transfer", "--models", model + "," + other, "--data", data.toString(), "--method", "fgsm",
                "--eps", "0.1", "--n", "50", "--out", t.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(t.resolve("metrics.json").toFile());
        assertEquals(2, m.get("error").size());
        assertTrue(Files.size(t.resolve("transfer.png")) > 1000 && Files.isRegularFile(t.resolve("transfer.csv")));
        Path tt = dir.resolve("transfer-target");
        r = foil("transfer", "--models", model + "," + other, "--data", data.toString(), "--method", "fgsm", "--eps",
                "0.1", "--n", "50", "--target", "1", "--out", tt.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode mt = Json.MAPPER.readTree(tt.resolve("metrics.json").toFile());
        int notOne = 0;
        for (int label : foil.data.DataSource.locate(data.toString()).test().head(50).labels()) {
            notOne += label != 1 ? 1 : 0;
        }
        assertEquals(notOne, mt.get("n").asInt(), "--target 1 leaves the images of class 1 out of n");
        assertTrue(mt.get("population").asText().contains("not the target 1"), mt.toString());

        Path p = dir.resolve("probe");
        r = foil("probe", "--model", model.toString(), "--data", data.toString(), "--layer", "fc1", "--unit", "3,5",
                "--random-direction", "--directions", "2", "--synthesize", "--synth-steps", "10", "--out", p.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode pm = Json.MAPPER.readTree(p.resolve("metrics.json").toFile());
        assertEquals(4, pm.get("rows").size());
        assertEquals("fc1", pm.get("layer").asText());
        assertTrue(Files.size(p.resolve("probe.png")) > 1000);

        Path u = dir.resolve("useful");
        r = foil("features", "usefulness", "--model", model.toString(), "--data", data.toString(), "--classes", "0,1",
                "--eps", "0.05", "--n", "40", "--steps", "3", "--out", u.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(100, Json.MAPPER.readTree(u.resolve("metrics.json").toFile()).get("rho").size());
        assertTrue(Files.isRegularFile(u.resolve("usefulness.png")));

        Path nr = dir.resolve("dnr");
        r = foil("features", "nonrobust-dataset", "--model", model.toString(), "--data", data.toString(), "--eps", "1",
                "--steps", "5", "--n", "30", "--targets", "next", "--out", nr.toString());
        assertEquals(0, r.code(), r.err());
        Path dr = dir.resolve("dr");
        r = foil("features", "robust-dataset", "--model", model.toString(), "--data", data.toString(), "--steps", "5",
                "--n", "30", "--out", dr.toString());
        assertEquals(0, r.code(), r.err());
        // each is a dataset any --data DIR command reads
        Path onNr = dir.resolve("on-dnr");
        assertEquals(0, foil("train", "--data", nr.toString(), "--arch", "softmax", "--epochs", "1", "--out",
                onNr.toString()).code());
        assertEquals(30, Json.MAPPER.readTree(onNr.resolve("metrics.json").toFile()).get("train_size").asInt());
    }

    @Test
    void robustFeaturesExperimentRunsItsFourRegimesAndResumes() throws Exception {
        Path e = dir.resolve("experiment");
        String[] args = {"experiment", "robust-features", "--data", data.toString(), "--quick", "--train-n", "100",
            "--epochs", "1", "--dr-steps", "3", "--nr-steps", "3", "--eval-n", "20", "--out", e.toString()};
        Run r = foil(args);
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(e.resolve("metrics.json").toFile());
        for (String regime : new String[] {"std_d", "adv_d", "std_d_r", "std_d_nr"}) {
            double std = m.get("regimes").get(regime).get("std_accuracy").asDouble();
            double adv = m.get("regimes").get(regime).get("adv_accuracy").asDouble();
            assertTrue(std >= 0 && std <= 1 && adv >= 0 && adv <= 1, regime);
        }
        assertTrue(Files.size(e.resolve("regimes.png")) > 1000);
        // a stopped run: the last stage lost; --resume redoes only that one
        Files.delete(e.resolve("std_d_nr").resolve("metrics.json"));
        long kept = Files.getLastModifiedTime(e.resolve("std_d").resolve("model.params")).toMillis();
        r = foil("experiment", "robust-features", "--resume", e.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(kept, Files.getLastModifiedTime(e.resolve("std_d").resolve("model.params")).toMillis());
        assertTrue(Files.isRegularFile(e.resolve("std_d_nr").resolve("metrics.json")));
    }

    @Test
    void squareRunsFromTheCliAndItsOptionsRejectBadInputWithOneLine() throws Exception {
        Path out = dir.resolve("square");
        Run r = foil("attack", "--model", model.toString(), "--data", data.toString(), "--method", "square", "--eps",
                "0.15", "--queries", "200", "--n", "20", "--mean", "0", "--std", "1", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals("square", m.get("method").asText());
        assertTrue(m.get("robust_accuracy").asDouble() < m.get("clean_accuracy").asDouble(), m.toString());
        assertTrue(m.get("mean_queries_all").asDouble() <= 200 && m.has("median_queries"), m.toString());
        String[][] bad = {
            {"--method", "square", "--eps", "0.1", "--queries", "0"},
            {"--method", "square", "--eps", "0.1", "--p-init", "1.5"},
            {"--method", "square", "--eps", "0.1", "--norm", "l1"},
            {"--method", "square"},
            {"--method", "pgd", "--eps", "0.1", "--queries", "100"},
            {"--method", "square", "--eps", "0.1", "--mean", "0.5"},
            {"--method", "square", "--eps", "0.1", "--mean", "0.5,0.5", "--std", "0.2,0.2"},
            {"--method", "square", "--eps", "0.1", "--mean", "0.5", "--std", "0"}};
        for (int i = 0; i < bad.length; i++) {
            List<String> args = new java.util.ArrayList<>(List.of("attack", "--model", model.toString(), "--data",
                    data.toString(), "--n", "5", "--out", dir.resolve("sq-bad" + i).toString()));
            args.addAll(List.of(bad[i]));
            Run b = foil(args.toArray(new String[0]));
            assertEquals(2, b.code(), String.join(" ", bad[i]) + ": " + b.err());
            assertEquals(1, b.err().strip().lines().count(), b.err());
            assertFalse(b.err().contains("Exception"), b.err());
        }
    }

    @Test
    void newCommandsRejectBadInputWithOneLine() throws Exception {
        Run r = foil("transfer", "--models", model.toString(), "--data", data.toString(), "--method", "fgsm", "--eps",
                "0.1", "--out", dir.resolve("t1").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("at least two models"), r.err());
        r = foil("probe", "--model", model.toString(), "--data", data.toString(), "--layer", "conv9", "--out",
                dir.resolve("p1").toString());
        assertEquals(2, r.code());
        assertTrue(r.err().contains("layer 'conv9'"), r.err());
        r = foil("features", "usefulness", "--model", model.toString(), "--data", data.toString(), "--classes", "0",
                "--eps", "0.1", "--out", dir.resolve("u1").toString());
        assertEquals(2, r.code());
        r = foil("features", "nonrobust-dataset", "--model", model.toString(), "--data", data.toString(), "--eps", "-1",
                "--out", dir.resolve("n1").toString());
        assertEquals(2, r.code());
        assertFalse(r.err().contains("Exception"), r.err());
        assertEquals(2, foil("probe", "--model", model.toString(), "--data", data.toString(), "--unit", "999", "--out",
                dir.resolve("p2").toString()).code());
        assertEquals(2, foil("transfer", "--models", model + "," + model, "--data", data.toString(), "--method", "lbfgs",
                "--eps", "0.1", "--out", dir.resolve("t2").toString()).code());
        assertEquals(2, foil("experiment", "robust-features", "--data", data.toString(), "--train-n", "100000", "--out",
                dir.resolve("e1").toString()).code());
        assertEquals(2, foil("experiment", "robust-features", "--data", data.toString(), "--nr-eps", "-1", "--out",
                dir.resolve("e2").toString()).code());
        assertEquals(2, foil("features", "robust-dataset", "--model", model.toString(), "--data", data.toString(),
                "--batch", "0", "--out", dir.resolve("r1").toString()).code());
        for (String out : new String[] {"t1", "p1", "u1", "n1", "p2", "t2", "e1", "e2", "r1"}) {
            assertFalse(Files.exists(dir.resolve(out)), "no output for a rejected run: " + out);
        }
    }

    @Test
    void emdPrintsTheDistanceAndRejectsBadCsv() throws Exception {
        Path a = dir.resolve("a.csv");
        Path b = dir.resolve("b.csv");
        Files.writeString(a, "weight,x\n1,0\n1,1\n");
        Files.writeString(b, "2,3\n2,4\n");
        Path plan = dir.resolve("plan.csv");
        assertEquals(0, foil("emd", a.toString(), b.toString(), "--cost", "abs", "--plan", plan.toString()).code());
        assertEquals(3, Files.readAllLines(plan).size(), "header and two moves");
        Path bad = dir.resolve("bad.csv");
        Files.writeString(bad, "1,0\n1,2,3\n");
        Path negative = dir.resolve("neg.csv");
        Files.writeString(negative, "-1,0\n");
        for (String[] c : new String[][] {{"emd", a.toString(), bad.toString()}, {"emd", a.toString(), negative.toString()},
            {"emd", a.toString(), dir.resolve("none.csv").toString()}, {"emd", a.toString(), b.toString(), "--cost", "cosine"},
            {"emd", a.toString(), b.toString(), "--plan", plan.toString()}}) {
            Run r = foil(c);
            assertEquals(2, r.code(), String.join(" ", c) + " -> " + r.err());
            assertFalse(r.err().strip().contains("\n"), r.err());
        }
    }

    @Test
    void toyGanAndLandscapeWriteTheirFigures() throws Exception {
        Path toy = dir.resolve("toy");
        assertEquals(0, foil("gan", "toy", "--out", toy.toString()).code());
        JsonNode m = Json.MAPPER.readTree(toy.resolve("metrics.json").toFile());
        assertEquals(3.0, m.get("theta").asDouble(), 0.05);
        assertTrue(m.get("d_max_deviation").asDouble() <= 0.05);
        for (String f : new String[] {"frames.png", "theta.png", "discriminator.png", "emd.png", "trajectory.csv", "run.json"}) {
            assertTrue(Files.size(toy.resolve(f)) > 100, f);
        }
        Path land = dir.resolve("land");
        assertEquals(0, foil("gan", "landscape", "--out", land.toString()).code());
        assertTrue(Files.size(land.resolve("landscape.png")) > 1000);
        assertEquals(2, foil("gan", "toy", "--loss", "hinge", "--out", dir.resolve("toy2").toString()).code());
        assertEquals(2, foil("gan", "toy", "--batch", "0", "--out", dir.resolve("toy3").toString()).code());
    }

    @Test
    void dcganTrainsSamplesAndResumes() throws Exception {
        Path images = Synthetic.writeIdx(dir.resolve("data28"), 96, 28);
        Path out = dir.resolve("dcgan");
        System.setProperty("foil.cache", dir.resolve("cache").toString()); // the default judge and feature network
        Run r = foil("gan", "train", "--data", images.toString(), "--epochs", "2", "--batch", "32", "--width", "8",
                "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(6, m.get("iterations").asInt());
        assertEquals("ema", m.get("generator_weights").asText(), "an average of the generator by default");
        assertEquals(0.99, m.get("ema_decay").asDouble(), 1e-6);
        assertEquals(10, m.get("class_histogram").size());
        assertTrue(m.get("class_entropy").asDouble() >= 0 && m.get("class_entropy").asDouble() <= 1);
        assertTrue(m.get("judge").asText().startsWith("Foil cnn of data28, the default feature network's classifier"),
                m.get("judge").asText());
        for (String f : new String[] {"samples-epoch-000.png", "samples-epoch-002.png", "samples.png", "losses.png",
            "checkpoint.bin", "metrics.jsonl", "gan.json"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Path png = dir.resolve("grid.png");
        assertEquals(0, foil("gan", "sample", "--model", out.toString(), "--n", "16", "--out", png.toString()).code());
        assertTrue(Files.size(png) > 500);
        assertEquals(2, foil("gan", "sample", "--model", out.toString(), "--out", png.toString()).code(), "no overwrite");
        Path truncated = dir.resolve("grid-truncated.png");
        assertEquals(0, foil("gan", "sample", "--model", out.toString(), "--n", "4", "--truncation", "0.5", "--out",
                truncated.toString()).code());
        assertEquals(2, foil("gan", "sample", "--model", out.toString(), "--truncation", "1.5", "--out",
                dir.resolve("t2.png").toString()).code(), "psi outside [0, 1]");
        Path trunc = dir.resolve("truncation");
        r = foil("gan", "truncation", "--model", out.toString(), "--data", images.toString(), "--psi", "1,0.5",
                "--n", "40", "--batch", "20", "--out", trunc.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode rows = Json.MAPPER.readTree(trunc.resolve("metrics.json").toFile()).get("rows");
        assertEquals(2, rows.size());
        assertEquals(0.5, rows.get(1).get("psi").asDouble());
        for (JsonNode row : rows) {
            for (String k : new String[] {"fid", "precision", "recall", "density", "coverage", "class_entropy"}) {
                assertTrue(row.get(k).isNumber(), k + " in " + row);
            }
        }
        for (String f : new String[] {"truncation_rows.png", "tradeoff.png", "fid.png", "run.json"}) {
            assertTrue(Files.isRegularFile(trunc.resolve(f)), f);
        }
        Path interp = dir.resolve("interpolate");
        r = foil("gan", "interpolate", "--model", out.toString(), "--data", images.toString(), "--pairs", "2",
                "--steps", "4", "--ppl-samples", "20", "--batch", "10", "--out", interp.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode ip = Json.MAPPER.readTree(interp.resolve("metrics.json").toFile());
        assertTrue(ip.get("endpoint_error").asDouble() < 1e-5, ip.toString());
        assertTrue(ip.get("ppl_lerp").asDouble() > 0 && ip.get("ppl_slerp").asDouble() > 0, ip.toString());
        assertTrue(Files.isRegularFile(interp.resolve("interpolation.png")));
        assertEquals(2, foil("gan", "interpolate", "--model", out.toString(), "--method", "cubic", "--out",
                dir.resolve("i2").toString()).code());
        Path eval = dir.resolve("gan-eval");
        r = foil("gan", "eval", "--model", out.toString(), "--data", images.toString(), "--n", "30", "--batch", "15",
                "--kid-subsets", "3", "--kid-subset-size", "20", "--out", eval.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode ev = Json.MAPPER.readTree(eval.resolve("metrics.json").toFile());
        assertEquals(30, ev.get("n_fake").asInt());
        assertTrue(ev.get("fid").asDouble() > 0 && ev.has("precision") && ev.has("fid_floor"), ev.toString());
        assertEquals("ema", ev.get("generator_weights").asText(), "gan eval samples the average");
        Path evald = dir.resolve("dcgan-eval-every");
        r = foil("gan", "train", "--data", images.toString(), "--epochs", "1", "--batch", "32", "--width", "8",
                "--eval-every", "2", "--eval-n", "20", "--ema", "0", "--out", evald.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode series = Json.MAPPER.readTree(evald.resolve(GanTrainer.EVAL).toFile());
        assertEquals("raw", series.get("generator_weights").asText());
        assertEquals(3, series.get("series").size(), "iterations 0, 2 and the last, 3");
        assertEquals(3, series.get("series").get(2).get("iteration").asInt());
        assertTrue(Files.isRegularFile(evald.resolve("kid.png")) && Files.isRegularFile(evald.resolve("fid.png")));
        Path inv = dir.resolve("invert");
        r = foil("gan", "invert", "--model", out.toString(), "--images", images.toString() + ":test", "--n", "5",
                "--restarts", "2", "--inversion-steps", "20", "--out", inv.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode iv = Json.MAPPER.readTree(inv.resolve("metrics.json").toFile());
        assertEquals(5, iv.get("n").asInt());
        assertTrue(iv.get("mean_error").asDouble() > 0 && iv.get("max_error").asDouble() < 1, iv.toString());
        assertEquals(5, Json.MAPPER.readTree(inv.resolve("inversion.json").toFile()).size());
        assertTrue(Files.size(inv.resolve("inversion.png")) > 1000);
        Path invf = dir.resolve("invert-features");
        r = foil("gan", "invert", "--model", out.toString(), "--images", images.toString() + ":test", "--n", "3",
                "--restarts", "1", "--inversion-steps", "5", "--feature-weight", "0.5", "--optimizer", "lbfgs",
                "--out", invf.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode ivf = Json.MAPPER.readTree(invf.resolve("metrics.json").toFile());
        assertTrue(ivf.get("feature_network").asText().startsWith("Foil cnn") && ivf.get("mean_error").asDouble() > 0,
                ivf.toString());
        assertEquals(2, foil("gan", "invert", "--model", out.toString(), "--images", images.toString(), "--n", "500",
                "--out", dir.resolve("inv2").toString()).code(), "more images than the set has");
        assertEquals(2, foil("gan", "invert", "--model", out.toString(), "--optimizer", "sgd", "--out",
                dir.resolve("inv3").toString()).code());
        Path prov = dir.resolve("provenance");
        r = foil("gan", "provenance", "--model", out.toString(), "--real", images.toString(), "--n", "8",
                "--restarts", "1", "--inversion-steps", "20", "--out", prov.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode pv = Json.MAPPER.readTree(prov.resolve("metrics.json").toFile());
        double auc = pv.get("auc_vs_real").asDouble();
        assertTrue(auc >= 0 && auc <= 1, pv.toString());
        assertTrue(pv.get("tpr_at_fpr_0.01").has("real") && pv.get("threshold").has("tpr"), pv.toString());
        for (String f : new String[] {"roc.png", "hardest.png", "errors.json", "run.json"}) {
            assertTrue(Files.isRegularFile(prov.resolve(f)), f);
        }
        assertEquals(2, foil("gan", "provenance", "--model", out.toString(), "--real", "none", "--n", "8",
                "--out", dir.resolve("prov2").toString()).code(), "no negatives");
        assertEquals(2, foil("gan", "provenance", "--model", out.toString(), "--n", "2", "--out",
                dir.resolve("prov3").toString()).code(), "too few to split");
        assertEquals(0, foil("gan", "train", "--resume", out.toString()).code(), "a finished run resumes to its end");
        assertEquals(6, foil.gan.GanTrainer.readLog(out).size(), "no iteration logged twice");
        assertEquals(2, foil("gan", "train", "--resume", dir.resolve("model").toString()).code(), "not a GAN run");
        Path gp = dir.resolve("gp");
        r = foil("gan", "train", "--data", images.toString(), "--loss", "wgan-gp", "--epochs", "1", "--batch", "32",
                "--width", "8", "--out", gp.toString());
        assertEquals(0, r.code(), r.err());
        assertTrue(Json.MAPPER.readTree(gp.resolve("metrics.json").toFile()).get("d_loss").isNumber());
        assertFalse(Json.MAPPER.readTree(gp.resolve("gan.json").toFile()).get("criticBatchNorm").asBoolean(),
                "the WGAN-GP critic has no batch norm");
        Path gpPng = dir.resolve("gp.png");
        assertEquals(0, foil("gan", "sample", "--model", gp.toString(), "--n", "4", "--out", gpPng.toString()).code(),
                "sampling rebuilds the same critic");
        Path prov4 = dir.resolve("provenance-other");
        r = foil("gan", "provenance", "--model", out.toString(), "--real", "none", "--other", gp.toString(), "--n", "8",
                "--restarts", "1", "--inversion-steps", "10", "--out", prov4.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode po = Json.MAPPER.readTree(prov4.resolve("metrics.json").toFile());
        assertTrue(po.get("auc_vs_other").has("gp") && po.get("auc_vs_real").isNull(), po.toString());
    }

    @Test
    void mogRunsAndMeasuresModes() throws Exception {
        Path out = dir.resolve("mog");
        Run r = foil("gan", "mog", "--shape", "ring", "--loss", "nonsaturating", "--iters", "40", "--log-every", "20",
                "--batch", "64", "--out", out.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode m = Json.MAPPER.readTree(out.resolve("metrics.json").toFile());
        assertEquals(8, m.get("modes_total").asInt());
        Path again = dir.resolve("mog-again");
        assertEquals(0, foil("gan", "mog", "--shape", "ring", "--loss", "nonsaturating", "--iters", "40", "--log-every",
                "20", "--batch", "64", "--threads", "1", "--out", again.toString()).code());
        Path third = dir.resolve("mog-third");
        ai.djl.engine.Engine.getInstance().setRandomSeed(987); // as a fresh process, whose generator starts elsewhere
        assertEquals(0, foil("gan", "mog", "--shape", "ring", "--loss", "nonsaturating", "--iters", "40", "--log-every",
                "20", "--batch", "64", "--threads", "1", "--out", third.toString()).code());
        assertEquals(Files.readString(again.resolve(GanTrainer.LOG)), Files.readString(third.resolve(GanTrainer.LOG)),
                "one seed, one thread: the same run, initial weights included");
        assertTrue(m.has("modes_covered") && m.has("high_quality_fraction") && m.has("emd"));
        for (String f : new String[] {"samples.png", "losses.png", "emd.png", "modes.png", "checkpoint.bin"}) {
            assertTrue(Files.isRegularFile(out.resolve(f)), f);
        }
        Path other = dir.resolve("mog-gp");
        r = foil("gan", "mog", "--shape", "ring", "--loss", "wgan-gp", "--gp-weight", "0.1", "--lr-decay", "--hidden", "32",
                "--iters", "40", "--log-every", "20", "--batch", "64", "--out", other.toString());
        assertEquals(0, r.code(), r.err());
        Path cmp = dir.resolve("mog-compare");
        r = foil("gan", "compare", "--runs", out + "," + other, "--names", "ns,gp", "--out", cmp.toString());
        assertEquals(0, r.code(), r.err());
        JsonNode c = Json.MAPPER.readTree(cmp.resolve("metrics.json").toFile());
        assertEquals(40, c.get("last_measurement").get("gp").get("iteration").asInt());
        assertTrue(Files.size(cmp.resolve("comparison.png")) > 1000);
        assertEquals(2, foil("gan", "mog", "--loss", "minimax", "--gp-weight", "0.1", "--out",
                dir.resolve("bad-gp").toString()).code(), "--gp-weight belongs to wgan-gp");
        assertEquals(2, foil("gan", "mog", "--latent", "0", "--out", dir.resolve("bad-latent").toString()).code());
        Run noEval = foil("gan", "mog", "--eval-every", "10", "--out", dir.resolve("bad-eval").toString());
        assertEquals(2, noEval.code());
        assertTrue(noEval.err().contains("do not apply to gan mog") && noEval.err().strip().lines().count() == 1,
                noEval.err());
        assertEquals(2, foil("gan", "mog", "--ema", "0.99", "--out", dir.resolve("bad-ema").toString()).code());
        assertFalse(Files.exists(dir.resolve("bad-eval")) || Files.exists(dir.resolve("bad-ema")));
        assertEquals(2, foil("bench", "gan", "--arch", "resnet").code());
        Path constant = dir.resolve("mog-constant");
        assertEquals(0, foil("gan", "mog", "--shape", "ring", "--no-lr-decay", "--iters", "4", "--log-every", "2",
                "--batch", "16", "--hidden", "8", "--out", constant.toString()).code(), "--no-lr-decay turns the default off");
        assertFalse(Files.exists(dir.resolve("bad-latent")));
        assertEquals(2, foil("gan", "compare", "--runs", dir.toString(), "--out", dir.resolve("c2").toString()).code());
        assertFalse(Files.exists(dir.resolve("c2")));
    }

    @Test
    void helpListsEveryCommandAndOptionDefaults() {
        assertEquals(0, foil("--help").code());
        assertEquals(0, foil("attack", "--help").code());
    }
}
