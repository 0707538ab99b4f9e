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

    /** A section only when {@code when} holds (e.g. a part of a run that was skipped). */
    public HtmlReport sectionIf(boolean when, String heading, String text, List<String> figures,
            Map<String, Object> metrics) {
        return when ? section(heading, text, figures, metrics) : this;
    }

    /** A section with a paragraph, figures (paths relative to the report) and a table of metrics. */
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

    /**
     * In place of a section that failed: its heading, then a red box naming the section and saying why it failed,
     * with an optional sentence on what that means for the rest.
     */
    public HtmlReport failed(String heading, String section, String error, String consequence) {
        StringBuilder sb = new StringBuilder();
        sb.append("<section class=\"failed\"><h2>").append(escape(heading)).append("</h2>\n");
        sb.append("<div class=\"failure\"><strong>Failed:</strong> the section <code>").append(escape(section))
                .append("</code> stopped with an error, so its results are missing.<pre>").append(escape(error))
                .append("</pre></div>\n");
        if (consequence != null) {
            sb.append("<p>").append(escape(consequence)).append("</p>\n");
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
                .append("th{background:#f4f4f4}")
                .append(".failed h2{color:#b00020}.failure{border:2px solid #b00020;background:#fdecea;color:#5f0010;")
                .append("padding:.6em 1em;border-radius:4px}.failure pre{white-space:pre-wrap;margin:.5em 0 0}")
                .append("</style></head><body>\n<h1>").append(escape(title)).append("</h1>\n");
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
