package foil.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A single self-contained {@code index.html} that shows a run's figures beside its numbers. */
public final class HtmlReport {
    private final String title;
    private final List<String> sections = new ArrayList<>();

    public HtmlReport(String title) {
        this.title = title;
    }

    /** A section with a paragraph, figures (paths relative to the report) and a table of metrics. */
    /** A section only when {@code when} holds (e.g. a part of a run that was skipped). */
    public HtmlReport sectionIf(boolean when, String heading, String text, List<String> figures,
            Map<String, Object> metrics) {
        return when ? section(heading, text, figures, metrics) : this;
    }

    public HtmlReport section(String heading, String text, List<String> figures, Map<String, Object> metrics) {
        StringBuilder sb = new StringBuilder();
        sb.append("<section><h2>").append(escape(heading)).append("</h2>\n");
        if (text != null) {
            sb.append("<p>").append(escape(text)).append("</p>\n");
        }
        for (String f : figures) {
            sb.append("<figure><img src=\"").append(escape(f)).append("\" alt=\"").append(escape(f))
                    .append("\"><figcaption>").append(escape(f)).append("</figcaption></figure>\n");
        }
        if (metrics != null && !metrics.isEmpty()) {
            sb.append("<table>\n");
            for (Map.Entry<String, Object> e : metrics.entrySet()) {
                sb.append("<tr><th>").append(escape(e.getKey())).append("</th><td>")
                        .append(escape(format(e.getValue()))).append("</td></tr>\n");
            }
            sb.append("</table>\n");
        }
        sb.append("</section>\n");
        sections.add(sb.toString());
        return this;
    }

    private static String format(Object v) {
        if (v instanceof Double d) {
            return String.format("%.4f", d);
        }
        if (v instanceof Float f) {
            return String.format("%.4f", f);
        }
        return String.valueOf(v);
    }

    public String render() {
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
                .append(escape(title)).append("</title>\n<style>")
                .append("body{font-family:sans-serif;max-width:1100px;margin:2em auto;color:#222}")
                .append("img{max-width:100%;border:1px solid #ddd}figure{margin:1em 0}")
                .append("table{border-collapse:collapse}th,td{border:1px solid #ccc;padding:3px 8px;text-align:left}")
                .append("th{background:#f4f4f4}</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
        for (String s : sections) {
            sb.append(s);
        }
        sb.append("</body></html>\n");
        return sb.toString();
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
