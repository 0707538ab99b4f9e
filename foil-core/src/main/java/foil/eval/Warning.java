package foil.eval;

import java.util.Map;

/** A reason not to trust a robustness figure: a name, one sentence, and the evidence in numbers. */
public record Warning(String name, String message, Map<String, Object> evidence) {}
