package foil.numerics;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.Foil;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The minimal reproduction of the oneDNN fault seen on AVX-512 AMD EPYC CPUs (PyTorch 2.7.1, oneDNN 3.7.1): the
 * input gradient of a convolution whose output channels are not a multiple of 16 (4 here, as in the TorchScript
 * fixture; 1 as in the DCGAN generator's last layer). Whether a CPU shows it cannot be asserted; what must hold
 * everywhere is that the guard left unpadded oneDNN wherever it shows, and that the route taken is right at one and
 * at two threads.
 */
class OneDnnFaultTest {
    private static final List<ConvolutionCheck> MINIMAL = List.of(
            new ConvolutionCheck(4, 8, 14, 14, 4, 3, 1, 1, false),
            new ConvolutionCheck(4, 1, 28, 28, 4, 3, 1, 1, false),
            new ConvolutionCheck(4, 32, 14, 14, 1, 4, 1, 0, false));

    @AfterAll
    static void restoreTheGuardsRoute() {
        Numerics.reapply();
    }

    @Test
    void theGuardTurnsOneDnnOffWhereverTheMinimalReproductionFails() {
        Foil.engine();
        Numerics.Status guard = Numerics.ensure();
        boolean before = Backends.oneDnn();
        Backends.setOneDnn(true);
        SelfCheck.Report withOneDnn = SelfCheck.run(List.<OpCheck>copyOf(MINIMAL), new int[] {1, 2}, 3);
        Backends.setOneDnn(before);
        System.out.println("oneDNN on this CPU (" + Cpu.detect().model() + "): "
                + (withOneDnn.passed() ? "right for the minimal reproduction" : "WRONG: " + withOneDnn.failedOps()));
        if (!withOneDnn.passed()) {
            assertNotEquals("onednn", guard.route(), "the minimal reproduction fails with oneDNN, but the guard kept it");
        }
        SelfCheck.Report route = SelfCheck.run(Numerics.routed(List.<OpCheck>copyOf(MINIMAL)), new int[] {1, 2}, 3);
        assertTrue(route.passed(), route.failedOps());
    }
}
