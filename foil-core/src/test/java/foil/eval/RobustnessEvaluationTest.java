package foil.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import foil.attack.Norm;
import foil.data.ImageDataset;
import foil.model.Classifier;
import foil.model.FoilModel;
import foil.model.TransformedLogits;
import foil.testing.AttackChecks;
import foil.testing.Synthetic;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RobustnessEvaluationTest {
    static FoilModel model;
    static ImageDataset data;

    @BeforeAll
    static void train() {
        data = Synthetic.dataset(400, 3);
        model = AttackChecks.trainedMlp(data);
    }

    @AfterAll
    static void close() {
        model.close();
    }

    private static RobustnessEvaluation evaluation(List<String> attacks, float[] eps, int n, Shard shard) {
        return new RobustnessEvaluation(Norm.LINF, eps, attacks, n, 20, 7, shard, true, 20);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> perAttack(Map<String, Object> m) {
        return (List<Map<String, Object>>) m.get("per_attack");
    }

    private static List<String> warnings(Map<String, Object> m) {
        @SuppressWarnings("unchecked")
        List<Warning> w = (List<Warning>) m.get("warnings");
        return w.stream().map(Warning::name).toList();
    }

    @Test
    void eachAttackOnlyLowersRobustAccuracyAndTheEnsembleBeatsPgd() {
        List<String> attacks = List.of("apgd-ce", "apgd-t");
        RobustnessEvaluation e = evaluation(attacks, new float[] {0.1f}, 60, Shard.WHOLE);
        List<ImageResult> rows = e.run(model, data, false).rows();
        assertEquals(60, rows.size());
        Map<String, Object> m = EvaluationSummary.metrics(rows, attacks, e.eps());
        double clean = (double) m.get("clean_accuracy");
        double before = clean;
        for (Map<String, Object> a : perAttack(m)) {
            double after = (double) a.get("robust_accuracy");
            assertTrue(after <= before, a.toString());
            before = after;
        }
        assertEquals(before, (double) m.get("robust_accuracy"), 1e-12);
        assertTrue(clean > 0.85 && before < clean - 0.2, m.toString());
        for (ImageResult r : rows) {
            assertTrue(r.linf() <= 0.1f + 1e-6f);
            if (r.robust()) {
                assertEquals(r.label(), r.adversarialPrediction());
            }
            if (!r.cleanCorrect()) {
                assertEquals(ImageResult.CLEAN, r.fooledBy(), "a wrong clean prediction is never robust");
            }
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> gap = ((List<Map<String, Object>>) ((Map<String, Object>) ((Map<String, Object>) m
                .get("checks")).get("pgd_ensemble_gap")).get("per_eps")).get(0);
        assertTrue((double) gap.get("pgd20_robust_accuracy") >= (double) m.get("robust_accuracy"), gap.toString());
        assertTrue(warnings(m).isEmpty(), "an honest model raises no flag: " + m.get("warnings"));
    }

    @Test
    void seesThroughMaskedGradientsAndSaysSo() {
        List<String> attacks = List.of("apgd-ce", "apgd-t");
        float[] eps = {0.15f};
        Map<String, Object> plain = EvaluationSummary.metrics(evaluation(attacks, eps, 60, Shard.WHOLE)
                .run(model, data, false).rows(), attacks, eps);
        Classifier masked = TransformedLogits.scaled(model, 1000f);
        Map<String, Object> m = EvaluationSummary.metrics(evaluation(attacks, eps, 60, Shard.WHOLE)
                .run(masked, data, false).rows(), attacks, eps);
        double afterCe = (double) perAttack(m).get(0).get("robust_accuracy");
        assertTrue(afterCe > (double) plain.get("robust_accuracy") + 0.3, "APGD-CE alone is fooled: " + m);
        assertEquals((double) plain.get("robust_accuracy"), (double) m.get("robust_accuracy"), 0.05,
                "the ensemble is not");
        List<String> w = warnings(m);
        assertTrue(w.contains("zero_gradients") && w.contains("pgd_ensemble_gap"), w.toString());
    }

    @Test
    void shardsGiveTheRowsOfTheWholeRun() {
        List<String> attacks = List.of("apgd-ce", "pgd");
        float[] eps = {0.05f, 0.1f};
        List<ImageResult> whole = evaluation(attacks, eps, 70, Shard.WHOLE).run(model, data, false).rows();
        List<ImageResult> parts = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            parts.addAll(evaluation(attacks, eps, 70, new Shard(i, 3)).run(model, data, false).rows());
        }
        assertEquals(whole, parts);
        assertEquals(EvaluationSummary.metrics(whole, attacks, eps), EvaluationSummary.metrics(parts, attacks, eps));
        assertEquals(140, whole.size(), "one row per image and budget");
        int[] r = new Shard(2, 3).range(70, 20);
        assertEquals(20, r[0]);
        assertEquals(40, r[1]);
    }

    @Test
    void flagsProbabilitiesAndRandomOutputs() {
        List<String> attacks = List.of("pgd");
        float[] eps = {0.1f};
        Classifier softmax = new TransformedLogits(model, z -> z.softmax(1), "softmax");
        assertTrue(warnings(EvaluationSummary.metrics(evaluation(attacks, eps, 20, Shard.WHOLE)
                .run(softmax, data, false).rows(), attacks, eps)).contains("outputs_probabilities"));
        Classifier noisy = new TransformedLogits(model, z -> z.add(z.getManager().randomNormal(0f, 0.5f,
                z.getShape(), z.getDataType())), "noisy");
        assertTrue(warnings(EvaluationSummary.metrics(evaluation(attacks, eps, 20, Shard.WHOLE)
                .run(noisy, data, false).rows(), attacks, eps)).contains("nondeterministic_forward"));
    }

    @Test
    void warnsWhenALargerBudgetLeavesMoreRobust() {
        List<ImageResult> rows = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            rows.add(row(i, 0.1f, i < 3 ? "" : "apgd-ce"));
            rows.add(row(i, 0.2f, i < 5 ? "" : "apgd-ce"));
        }
        List<String> w = warnings(EvaluationSummary.metrics(rows, List.of("apgd-ce"), new float[] {0.1f, 0.2f}));
        assertTrue(w.contains("robust_accuracy_not_monotone"), w.toString());
    }

    private static ImageResult row(int i, float eps, String fooledBy) {
        return new ImageResult(i, 1, 1, eps, fooledBy.isEmpty() ? 1 : 2, fooledBy, 0f, 0f, "ok", "logits", true,
                null, null, null);
    }

    /** The README's example of a robustness gate in a JUnit test, through the Java API. */
    @Test
    void theJavaApiGivesTheFiguresOfTheCommand() {
        EvaluationResult r = RobustnessEvaluation.standard(Norm.LINF, 0.1f, 30).evaluate(model, data);
        assertEquals(30, r.rows().size());
        assertTrue(r.cleanAccuracy() > 0.85, "clean " + r.cleanAccuracy());
        assertTrue(r.robustAccuracy() < r.cleanAccuracy() - 0.2, "robust " + r.robustAccuracy());
        assertEquals(List.of("apgd-ce", "apgd-t", "fab-t", "square"),
                perAttack(r.metrics()).stream().map(a -> a.get("attack")).toList());
        assertTrue(r.warnings().isEmpty(), r.warnings().toString());
    }

    @Test
    void outputKindsAndBadSettings() {
        assertEquals("probabilities", OutputKind.of(new float[] {0.2f, 0.7f, 0.1f}, 0, 3));
        assertEquals("log_probabilities", OutputKind.of(new float[] {(float) Math.log(0.2), (float) Math.log(0.8)},
                0, 2));
        assertEquals("logits", OutputKind.of(new float[] {2f, -1f, 0.3f}, 0, 3));
        assertThrows(FoilException.class, () -> Shard.parse("3/2"));
        assertThrows(FoilException.class, () -> Shard.parse("x"));
        assertThrows(FoilException.class, () -> Ensemble.parse("apgd-ce,fab"));
        assertThrows(FoilException.class, () -> Ensemble.parse("apgd-ce,apgd-ce"));
        assertThrows(FoilException.class, () -> evaluation(List.of("apgd-ce"), new float[] {-1f}, 10, Shard.WHOLE));
    }
}
