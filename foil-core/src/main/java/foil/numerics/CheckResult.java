package foil.numerics;

/** The verdict on one quantity of one operation at one thread count. */
public record CheckResult(String op, String shape, String quantity, int threads, double error, double tolerance,
        String detail) {
    public boolean passed() {
        return error <= tolerance;
    }

    /** One line for a terminal: PASS or FAIL, the operation, its shape, the quantity, the error against the bound. */
    public String line() {
        return String.format(java.util.Locale.ROOT, "%s  %-22s %-42s %-16s threads=%d  error %.2e (bound %.0e)%s",
                passed() ? "PASS" : "FAIL", op, shape, quantity, threads, error, tolerance,
                passed() || detail.isEmpty() ? "" : "  " + detail);
    }
}
