package foil.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How the demo words a section's failure, and which sections it can be asked to fail. */
class DemoJobTest {
    @Test
    void aFailureIsTheUsersMessageOrTheExceptionsClassAndFirstLine() {
        assertEquals("training diverged at iteration 2 (d_loss NaN, g_loss 1.0): lower the learning rates",
                DemoJob.Failure.of("dcgan", new FoilException("training diverged at iteration 2 (d_loss NaN, g_loss "
                        + "1.0): lower the learning rates")).error());
        assertEquals("java.lang.IllegalStateException: out of step", DemoJob.Failure.of("probe",
                new IllegalStateException("out of step\n\tat somewhere")).error());
        assertEquals("java.lang.NullPointerException", DemoJob.Failure.of("mog", new NullPointerException()).error());
        assertEquals("mog", DemoJob.Failure.of("mog", new NullPointerException()).section());
    }

    @Test
    void onlyTheDemosSectionsCanBeMadeToFail() {
        String msg = assertThrows(FoilException.class, () -> new DemoJob(null, 1, 1, 1, 1, 100, 0, 0, 0, 0, 0, false,
                Set.of("robustness"))).getMessage();
        assertTrue(msg.contains("'robustness'") && msg.contains("classifier, sweeps,") && msg.contains("mog"), msg);
        for (String s : DemoJob.SECTIONS) {
            new DemoJob(null, 1, 1, 1, 1, 100, 0, 0, 0, 0, 0, false, Set.of(s, DemoJob.CLASSIFIER));
        }
    }
}
