package foil.attack;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** How attack figures are counted, on hand-made outcomes (RobustBench's robust accuracy; success over the correct). */
class CountingTest {

    /** Four images of label 0: clean right and adversarial right, clean right and fooled, clean wrong twice,
     *  and clean wrong whose adversarial happens to be right. */
    private static AttackRun.Outcome outcome() {
        int[] labels = {0, 0, 0, 0};
        int[] clean = {0, 0, 1, 2};
        int[] adversarial = {0, 3, 1, 0};
        boolean[] success = {false, true, true, false}; // untargeted: the adversarial prediction is not the label
        float[] l2 = {0.5f, 1f, 7f, 9f};
        return new AttackRun.Outcome("pgd", "l2", 1f, "untargeted", 4, labels, null, clean, adversarial, success,
                l2, l2, l2, 1, null, null);
    }

    @Test
    void aMisclassifiedImageIsNeverRobust() {
        AttackRun.Outcome o = outcome();
        assertEquals(0.5, o.cleanAccuracy(), 1e-12);
        // only the first image is right on both; the fourth's adversarial is right by chance and does not count
        assertEquals(0.25, o.robustAccuracy(), 1e-12);
    }

    @Test
    void successAndDistortionAreOverTheCorrectlyClassified() {
        AttackRun.Outcome o = outcome();
        // of the two images classified correctly, the attack fooled one; the third image, wrong from the start,
        // is no success of the attack's
        assertEquals(0.5, o.successRate(), 1e-12);
        Map<String, Object> m = o.metrics();
        assertEquals(1.0, (double) m.get("mean_l2"), 1e-12, "the mean L2 is the one successful attack's");
        assertEquals(2, m.get("correctly_classified"));
        assertEquals(1, m.get("successful"));
        assertEquals(AttackRun.COUNTING, m.get("counting"));
    }

    @Test
    void noCorrectImageMeansNoSuccess() {
        int[] labels = {0, 1};
        int[] wrong = {1, 0};
        boolean[] success = {true, true};
        float[] l2 = {2f, 3f};
        AttackRun.Outcome o = new AttackRun.Outcome("fgsm", "linf", 0.1f, "untargeted", 2, labels, null, wrong,
                wrong, success, l2, l2, l2, 1, null, null);
        assertEquals(0, o.robustAccuracy(), 1e-12);
        assertEquals(0, o.successRate(), 1e-12);
        assertEquals(0, o.meanOverSuccess(l2), 1e-12);
    }

    @Test
    void aTargetedAttackSucceedsOnlyOnTheTarget() {
        int[] labels = {0, 0, 0};
        int[] clean = {0, 0, 0};
        int[] adversarial = {5, 4, 0};
        boolean[] success = {true, false, false}; // target 5
        float[] l2 = {1f, 2f, 3f};
        AttackRun.Outcome o = new AttackRun.Outcome("pgd", "l2", 1f, "target 5", 3, labels, new int[] {5, 5, 5}, clean,
                adversarial, success, l2, l2, l2, 1, null, null);
        assertEquals(1.0 / 3, o.successRate(), 1e-12);
        assertEquals(1.0 / 3, o.robustAccuracy(), 1e-12, "the second image is fooled though not to the target");
    }
}
