package foil.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import foil.FoilException;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress off a terminal: few plain lines, true numbers, a last line with the total. */
class ProgressTest {
    private static final long SECOND = 1_000_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong clock = new AtomicLong();

    private ProgressLines lines(String task, long total, long interval) {
        return new ProgressLines(task, total, out, clock::get, interval);
    }

    private List<String> written() {
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains("\r"), "no carriage-return frames");
        return text.lines().toList();
    }

    @Test
    void aLongTaskWritesOneLinePerIntervalAndItsTotalLast() {
        ProgressLines p = lines("gan", 2048, ProgressLines.INTERVAL_NANOS);
        for (int i = 0; i < 2048; i++) {
            clock.addAndGet(SECOND); // a step a second: 34 minutes in all
            p.step(1);
        }
        p.close();
        p.close();
        List<String> l = written();
        long perInterval = 2048 / (ProgressLines.INTERVAL_NANOS / SECOND);
        assertEquals(perInterval + 1, l.size(), "one line per interval, then the last: " + l.size());
        assertEquals("gan: 2048/2048 (100%), done in 34 min 08 s", l.get(l.size() - 1));
        assertTrue(l.get(0).startsWith("gan: 15/2048 (0%), 15 s elapsed, ~"), l.get(0));
    }

    @Test
    void fastWorkWritesOnlyItsLastLine() {
        ProgressLines p = lines("attack", 100_000, ProgressLines.INTERVAL_NANOS);
        for (int i = 0; i < 100_000; i++) {
            p.step(1);
        }
        clock.addAndGet(2 * SECOND);
        p.close();
        assertEquals(List.of("attack: 100000/100000 (100%), done in 2 s"), written());
    }

    @Test
    void aLineSaysWhereItIsAndWhatIsLeft() {
        ProgressLines p = lines("task", 2048, 10 * SECOND);
        clock.set(12 * SECOND);
        p.message("loss 0.4213");
        p.step(512);
        clock.set(20 * SECOND);
        p.step(100);
        p.close();
        assertEquals(List.of("task: 512/2048 (25%), 12 s elapsed, ~36 s left, loss 0.4213",
                "task: 612/2048 (29%), stopped after 20 s, loss 0.4213"), written(),
                "the rest at the pace so far; a task closed early says where it stopped");
    }

    @Test
    void durationsReadAsSecondsMinutesHours() {
        assertEquals("0 s", ProgressLines.duration(0));
        assertEquals("119 s", ProgressLines.duration(119 * SECOND));
        assertEquals("2 min 00 s", ProgressLines.duration(120 * SECOND));
        assertEquals("2 h 07 min", ProgressLines.duration((2 * 3600 + 7 * 60 + 30) * SECOND));
    }

    @Test
    void foilProgressChoosesTheModeAndQuietSilencesAll() {
        String quiet = System.getProperty("foil.quiet");
        try {
            System.clearProperty("foil.quiet");
            System.setProperty("foil.progress", "lines");
            assertEquals(Progress.Mode.LINES, Progress.mode());
            System.setProperty("foil.progress", "Bar");
            assertEquals(Progress.Mode.BAR, Progress.mode());
            System.setProperty("foil.progress", "sometimes");
            assertThrows(FoilException.class, Progress::mode);
            System.setProperty("foil.quiet", "true");
            assertEquals(Progress.Mode.NONE, Progress.mode(), "--quiet wins");
        } finally {
            System.clearProperty("foil.progress");
            if (quiet == null) {
                System.clearProperty("foil.quiet");
            } else {
                System.setProperty("foil.quiet", quiet);
            }
        }
    }
}
