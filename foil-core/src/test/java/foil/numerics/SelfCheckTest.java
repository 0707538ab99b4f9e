package foil.numerics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.Foil;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The engine, after the guard has chosen its route, agrees with the float64 references at one and at two threads;
 * a deliberately wrong kernel fails the check and is named; the guard routes around a back end that fails.
 */
class SelfCheckTest {
    private static final int[] ONE_AND_TWO = {1, 2};

    @AfterAll
    static void restoreTheGuardsRoute() {
        Numerics.reapply();
    }

    @Test
    void everyOperationMatchesItsReferenceAtOneAndTwoThreads() {
        Foil.engine();
        Numerics.Status guard = Numerics.ensure();
        assertNotNull(guard);
        assertTrue(guard.passed(), guard.toString());
        SelfCheck.Report r = SelfCheck.run(Numerics.routed(SelfCheck.full()), ONE_AND_TWO, 11);
        assertTrue(r.passed(), () -> r.failures().stream().map(CheckResult::line).toList().toString());
        assertTrue(r.results().stream().anyMatch(c -> c.threads() == 2));
    }

    @Test
    void aWrongConvolutionGradientFailsTheCheckAndIsNamed() {
        Numerics.ensure();
        SelfCheck.Report r = SelfCheck.run(Numerics.routed(Faults.inject("conv2d", SelfCheck.cheap())), ONE_AND_TWO,
                5);
        assertFalse(r.passed());
        for (CheckResult c : r.results()) {
            boolean shouldFail = c.op().equals("conv2d") && c.quantity().matches("(input|weight) gradient");
            assertEquals(shouldFail, !c.passed(), c.line()); // the forward pass stays right, other ops pass
        }
        assertTrue(r.failedOps().startsWith("conv2d "), r.failedOps());
    }

    @Test
    void doctorPrintsOneLinePerCheckAndFailsNamingTheOperation() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = Doctor.run(new PrintStream(bytes, true, StandardCharsets.UTF_8),
                Faults.inject("conv2d", SelfCheck.cheap()));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(ok);
        assertTrue(out.contains("FAIL  conv2d"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("doctor: ") && l.contains("checks failed: conv2d")), out);
        assertTrue(out.contains("PASS  linear"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("cpu ")), out);
    }

    @Test
    void theOneDnnScanFindsEveryPaddedShapeRightAndLeavesTheRouteAsItWas() {
        Route before = Route.of(Numerics.ensure().route());
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        boolean ok = OneDnnScan.run(new PrintStream(bytes, true, StandardCharsets.UTF_8), new int[] {4, 17});
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(ok, out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("scan: 20 shapes") && l.endsWith("padded as Foil pads them 0 wrong")),
                out);
        assertEquals(before, Route.current());
    }

    /** A convolution check whose kernel is wrong exactly when oneDNN is on: a stand-in for a faulty oneDNN. */
    private static List<OpCheck> wrongWhereOneDnnIsOn() {
        ConvolutionCheck.Kernel k = (x, w, b, s, p) -> (Backends.oneDnn() ? Faults.FLIPPED_GRADIENT
                : ConvolutionCheck.ENGINE).apply(x, w, b, s, p);
        return List.of(new ConvolutionCheck(2, 1, 8, 8, 4, 3, 1, 1, true).with(k), new LinearCheck(2, 5, 3, true));
    }

    @Test
    void theGuardTurnsOneDnnOffWhereItFailsAndStopsWhereTheUserInsists() {
        Numerics.Status auto = Numerics.decide(Numerics.Mode.AUTO, SelfCheckTest::wrongWhereOneDnnIsOn);
        assertTrue(auto.passed());
        assertFalse(auto.oneDnn());
        assertTrue(auto.message().contains("turned oneDNN off"), auto.message());
        assertTrue(auto.oneDnnFailures().startsWith("conv2d"), auto.oneDnnFailures());

        Numerics.Status on = Numerics.decide(Numerics.Mode.ON, SelfCheckTest::wrongWhereOneDnnIsOn);
        assertFalse(on.passed());
        assertTrue(on.oneDnn());
        assertTrue(on.message().contains("conv2d"), on.message());

        Numerics.Status off = Numerics.decide(Numerics.Mode.OFF, SelfCheckTest::wrongWhereOneDnnIsOn);
        assertTrue(off.passed());
        assertFalse(off.oneDnn());
        assertEquals("im2col", off.route());
        assertEquals(null, off.message());
    }

    /**
     * A stand-in for this project's AVX-512 fault: gradients wrong with oneDNN on when the filter count is not a
     * multiple of 16. Padding cures it, so the guard keeps oneDNN on padded channel counts, by default and when
     * asked for by name (FOIL_ONEDNN=padded).
     */
    private static List<OpCheck> wrongOnUnpaddedChannels() {
        ConvolutionCheck.Kernel k = (x, w, b, s, p) -> (Backends.oneDnn() && w.getShape().get(0) % 16 != 0
                ? Faults.FLIPPED_GRADIENT : ConvolutionCheck.ENGINE).apply(x, w, b, s, p);
        return List.of(new ConvolutionCheck(2, 3, 8, 8, 4, 3, 1, 1, true).with(k),
                new ConvolutionCheck(2, 3, 8, 8, 1, 4, 2, 1, true).with(k), new LinearCheck(2, 5, 3, true));
    }

    @Test
    void theGuardKeepsOneDnnOnPaddedChannelsWherePaddingCuresTheFault() {
        for (Numerics.Mode mode : new Numerics.Mode[] {Numerics.Mode.AUTO, Numerics.Mode.PADDED}) {
            Numerics.Status auto = Numerics.decide(mode, SelfCheckTest::wrongOnUnpaddedChannels);
            assertTrue(auto.passed(), auto.toString());
            assertTrue(auto.oneDnn());
            assertEquals("onednn-padded", auto.route(), mode.toString());
            assertEquals(Route.ONEDNN_PADDED, Route.current());
            assertTrue(auto.message().contains("padding the others with zeros"), auto.message());
            assertTrue(auto.oneDnnFailures().startsWith("conv2d"), auto.oneDnnFailures());
        }
        Numerics.Status off = Numerics.decide(Numerics.Mode.OFF, SelfCheckTest::wrongOnUnpaddedChannels);
        assertEquals("im2col", off.route());
        Numerics.reapply();
    }
}
