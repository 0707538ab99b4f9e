package foil.run;

import foil.data.DataSource;
import foil.gan.Interpolation;
import foil.gan.Inversion;
import foil.io.RunDirectory;
import foil.metrics.FeatureNetwork;
import foil.metrics.FeatureSource;
import foil.report.HtmlReport;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The demo's "How good is the generator?": a DCGAN scored the way the field scores generators (FID, KID,
 * precision, recall, density and coverage against test images, beside the real-against-real floor), the
 * truncation trade-off, an interpolation grid, and provenance by inversion against real images and against a
 * second DCGAN of another seed. Every figure is measured in one named feature network.
 *
 * @param n generated and real images for FID and the other metrics
 * @param truncationN images per ψ
 * @param provenanceN images of each kind for provenance
 */
public record GeneratorQuality(DataSource data, int n, int truncationN, int provenanceN, Inversion inversion,
        long seed) {
    static final double[] PSIS = {1, 0.7, 0.5, 0.3};

    /** Writes gan-eval/, gan-truncation/, gan-interpolation/ and gan-provenance/ under {@code root}. */
    public Map<String, Object> execute(RunDirectory root, Path generator, Path other, Path features) {
        Map<String, Object> m = new LinkedHashMap<>();
        RunDirectory eval = sub(root, "gan-eval", Map.of("model", generator.toString(), "n", n, "features",
                features.toString()), seed, data);
        FeatureSource.Generator samples = new FeatureSource.Generator(generator);
        m.put("eval", new FidJob(new FeatureSource.Dataset(data, false), samples, features, "penultimate", data, n, 5,
                100, Math.min(1000, n), 250, seed).execute(eval));
        try (FeatureNetwork net = FeatureNetwork.open(features, "penultimate", data)) {
            RunDirectory trunc = sub(root, "gan-truncation", Map.of("model", generator.toString(), "psi", PSIS, "n",
                    truncationN), seed, data);
            m.put("truncation", new TruncationJob(generator, PSIS, 0, truncationN, 5, 250, seed).execute(trunc, net,
                    data.test()));
            RunDirectory interp = sub(root, "gan-interpolation", Map.of("model", generator.toString(), "pairs", 6,
                    "steps", 10, "method", "slerp"), seed, data);
            m.put("interpolation", new InterpolationJob(generator, 6, 10, Interpolation.SLERP, 500, 1e-4, 250, seed)
                    .execute(interp, net));
        }
        RunDirectory prov = sub(root, "gan-provenance", Map.of("model", generator.toString(), "other",
                List.of(other.toString()), "n", provenanceN, "inversion", inversion), seed, data);
        m.put("provenance", new ProvenanceJob(generator, List.of(other), provenanceN, inversion, 0.05, 100, seed)
                .execute(prov, data.test(), null));
        return m;
    }

    static RunDirectory sub(RunDirectory root, String name, Map<String, Object> options, long seed,
            DataSource data) {
        RunDirectory d = RunDirectory.create(root.resolve(name), true);
        d.writeRun("demo: " + name, List.of(), options, seed, data.describe());
        return d;
    }

    /** The figures the demo's metrics.json keeps. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> summary(Map<String, Object> m) {
        Map<String, Object> eval = (Map<String, Object>) m.get("eval");
        Map<String, Object> prov = (Map<String, Object>) m.get("provenance");
        Map<String, Object> s = new LinkedHashMap<>();
        for (String k : new String[] {"feature_network", "fid", "fid_floor", "kid", "kid_floor", "precision", "recall",
            "density", "coverage"}) {
            s.put(k, eval.get(k));
        }
        s.put("auc_vs_real", prov.get("auc_vs_real"));
        s.put("auc_vs_other", prov.get("auc_vs_other"));
        return s;
    }

    /** The report's section. */
    @SuppressWarnings("unchecked")
    public static void section(HtmlReport r, String heading, Map<String, Object> m) {
        Map<String, Object> eval = (Map<String, Object>) m.get("eval");
        Map<String, Object> prov = (Map<String, Object>) m.get("provenance");
        Map<String, Object> table = new LinkedHashMap<>();
        table.put("feature network", eval.get("feature_network"));
        for (String k : new String[] {"n_fake", "fid", "fid_inf", "fid_floor", "kid", "kid_floor", "precision",
            "recall", "density", "coverage"}) {
            table.put(k, eval.get(k));
        }
        List<Map<String, Object>> rows = (List<Map<String, Object>>) ((Map<String, Object>) m.get("truncation"))
                .get("rows");
        for (Map<String, Object> row : rows) {
            table.put("psi " + row.get("psi"), String.format(java.util.Locale.ROOT,
                    "FID %.1f, precision %.3f, recall %.3f, class entropy %.3f", (Double) row.get("fid"),
                    (Double) row.get("precision"), (Double) row.get("recall"), (Double) row.get("class_entropy")));
        }
        Map<String, Object> interp = (Map<String, Object>) m.get("interpolation");
        table.put("path length (lerp, slerp)", interp.get("ppl_lerp") + ", " + interp.get("ppl_slerp"));
        table.put("provenance AUC v real", prov.get("auc_vs_real"));
        table.put("provenance AUC v other DCGAN", prov.get("auc_vs_other"));
        table.put("provenance TPR at 1% FPR", prov.get("tpr_at_fpr_0.01"));
        r.section(heading, "The demo's DCGAN measured in " + eval.get("feature_network") + " (a classifier of the "
                + "data, not Inception: figures are not comparable with Inception-FID). FID, KID, precision, recall, "
                + "density and coverage of generated against test images, with the floor of training against test "
                + "images at the same N. Then truncation: one row of samples per psi, and quality (precision) against "
                + "diversity (recall) as psi falls. Then paths between latents (slerp) and their perceptual path "
                + "length. Last, provenance: each image is inverted (G(z) fitted to it by gradient descent from random "
                + "restarts), and its reconstruction error tells the DCGAN's own samples from real test images and "
                + "from samples of a second DCGAN trained with another seed; ROC curves, and the hardest cases.",
                List.of("gan-truncation/truncation_rows.png", "gan-truncation/tradeoff.png",
                        "gan-interpolation/interpolation.png", "gan-provenance/roc.png", "gan-provenance/hardest.png"),
                table);
    }
}
