package foil;

/**
 * A problem with what the user gave Foil (a file, an option, a directory): its message is one line that
 * says what is wrong and how to fix it. The CLI prints it and exits with code 2.
 */
public class FoilException extends RuntimeException {
    public FoilException(String message) {
        super(message);
    }

    public FoilException(String message, Throwable cause) {
        super(message, cause);
    }

    /** The first line of a (library's) message, to quote it inside a one-line error. */
    public static String firstLine(String message) {
        if (message == null) {
            return "no detail";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }
}
