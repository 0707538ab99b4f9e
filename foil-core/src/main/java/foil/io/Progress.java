package foil.io;

import com.sun.jna.NativeLibrary;
import foil.FoilException;
import java.io.PrintStream;
import java.util.Locale;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * Progress of long work on standard error: a bar redrawn in place when standard error is a terminal; plain
 * lines now and then when it is a file, a pipe, CI or nohup (see {@link ProgressLines}); nothing when
 * {@code foil.quiet} is set. The system property {@code foil.progress} ({@code bar}, {@code lines} or
 * {@code none}) overrides the choice.
 */
public final class Progress implements AutoCloseable {
    /** How progress shows. */
    public enum Mode { BAR, LINES, NONE }

    private static Boolean terminal;

    private final ProgressBar bar;
    private final ProgressLines lines;

    private Progress(ProgressBar bar, ProgressLines lines) {
        this.bar = bar;
        this.lines = lines;
    }

    public static Progress start(String task, long total) {
        return switch (mode()) {
            case NONE -> new Progress(null, null);
            case LINES -> new Progress(null, new ProgressLines(task, total, System.err, System::nanoTime,
                    ProgressLines.INTERVAL_NANOS));
            case BAR -> new Progress(new ProgressBarBuilder().setTaskName(task).setInitialMax(total)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(500)
                    .setConsumer(new ConsoleProgressBarConsumer(System.err)).continuousUpdate().build(), null);
        };
    }

    /** The mode in force: none when quiet, else {@code foil.progress}, else a bar on a terminal and lines elsewhere. */
    public static Mode mode() {
        if (Boolean.getBoolean("foil.quiet")) {
            return Mode.NONE;
        }
        String forced = System.getProperty("foil.progress");
        if (forced == null || forced.isBlank()) {
            return stderrIsTerminal() ? Mode.BAR : Mode.LINES;
        }
        try {
            return Mode.valueOf(forced.strip().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new FoilException("-Dfoil.progress must be bar, lines or none, not '" + forced + "'");
        }
    }

    /**
     * Whether standard error is a terminal: isatty(2) from the C library where it can be called, else whether Java
     * has a console (Java 17 has one only when standard input and output are terminals).
     */
    private static synchronized boolean stderrIsTerminal() {
        if (terminal == null) {
            boolean t;
            try {
                if (System.getProperty("os.name", "").startsWith("Windows")) {
                    throw new UnsupportedOperationException("no isatty in the C library's name here");
                }
                t = NativeLibrary.getInstance("c").getFunction("isatty").invokeInt(new Object[] {2}) == 1;
            } catch (RuntimeException | LinkageError e) {
                t = System.console() != null;
            }
            terminal = t;
        }
        return terminal;
    }

    public void step(long n) {
        if (bar != null) {
            bar.stepBy(n);
        }
        if (lines != null) {
            lines.step(n);
        }
    }

    public void message(String text) {
        if (bar != null) {
            bar.setExtraMessage(text);
        }
        if (lines != null) {
            lines.message(text);
        }
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
        }
        if (lines != null) {
            lines.close();
        }
    }
}
