package foil.report;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class HtmlReportTest {
    @Test
    void aFailedSectionIsABoxNamingItAndItsEscapedError() {
        String html = new HtmlReport("t").section("Before", null, List.of(), null)
                .failed("Robust <model>", "robust", "java.lang.IllegalStateException: x < y & \"z\"", "Then what.")
                .section("After", null, List.of(), null).render();
        assertTrue(html.contains("<section class=\"failed\"><h2>Robust &lt;model&gt;</h2>\n<div class=\"failure\">"
                + "<strong>Failed:</strong> the section <code>robust</code>"), html);
        assertTrue(html.contains("<pre>java.lang.IllegalStateException: x &lt; y &amp; &quot;z&quot;</pre></div>\n"
                + "<p>Then what.</p>"), html);
        assertTrue(html.indexOf("<h2>Before") < html.indexOf("class=\"failed\"")
                && html.indexOf("class=\"failed\"") < html.indexOf("<h2>After"), "in its place among the others");
        assertTrue(html.contains(".failure{border:"), "styled as a failure");
    }
}
