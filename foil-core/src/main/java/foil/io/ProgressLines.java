package foil.io;

import java.io.PrintStream;
import java.util.function.LongSupplier;

/**
 * Progress as plain lines, for a standard error that is not a terminal (a log file, a pipe, CI, nohup), where a
 * redrawn bar would leave a frame per update: {@code task: 512/2048 (25%), 12 s elapsed, ~36 s left} once
 * {@code interval} has passed since the start or the last line, and one line at the end with the total. A task
 * writes at most one line per interval plus its last, however many steps it takes.
 */
final class ProgressLines {
    /** The least time between two lines of one task. */
    static final long INTERVAL_NANOS = 15_000_000_000L;

    private final String task;
    private final long total;
    private final PrintStream out;
    private final LongSupplier clock;
    private final long interval;
    private final long start;
    private long last;
    private long done;
    private String extra;
    private boolean closed;

    /** A task of {@code total} steps (0 if unknown), written to {@code out} on a clock of nanoseconds. */
    ProgressLines(String task, long total, PrintStream out, LongSupplier clock, long interval) {
        this.task = task;
        this.total = total;
        this.out = out;
        this.clock = clock;
        this.interval = interval;
        this.start = clock.getAsLong();
        this.last = start;
    }

    synchronized void step(long n) {
        done += n;
        long now = clock.getAsLong();
        if (!closed && now - last >= interval) {
            last = now;
            out.println(task + ": " + count() + ", " + duration(now - start) + " elapsed" + left(now) + extra());
        }
    }

    /** A short note added to the following lines (a running loss). */
    synchronized void message(String text) {
        extra = text;
    }

    /** The last line: the total and the time it took, or where the task stopped. */
    synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        String how = total > 0 && done < total ? "stopped after " : "done in ";
        out.println(task + ": " + count() + ", " + how + duration(clock.getAsLong() - start) + extra());
    }

    private String count() {
        return total > 0 ? String.format("%d/%d (%d%%)", done, total, 100 * done / total) : String.valueOf(done);
    }

    /** The time left if the rest goes as fast as what is done. */
    private String left(long now) {
        if (done <= 0 || total <= done) {
            return "";
        }
        return ", ~" + duration((long) ((double) (now - start) * (total - done) / done)) + " left";
    }

    private String extra() {
        return extra == null || extra.isBlank() ? "" : ", " + extra;
    }

    /** Nanoseconds as "12 s", "3 min 05 s" or "2 h 07 min". */
    static String duration(long nanos) {
        long s = Math.round(nanos / 1e9);
        if (s < 120) {
            return s + " s";
        }
        if (s < 7200) {
            return String.format("%d min %02d s", s / 60, s % 60);
        }
        return String.format("%d h %02d min", s / 3600, s / 60 % 60);
    }
}
