package io.modelward.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MarkdownRendererTest {

    final MarkdownRenderer markdown = new MarkdownRenderer();

    @Test
    void rendersHeadingsListsAndTables() {
        String html = markdown.render("# Intended use\n\n- triage\n\n| metric | value |\n|---|---|\n| AUC | 0.91 |\n");
        assertThat(html).contains("<h1>Intended use</h1>").contains("<li>triage</li>").contains("<td>0.91</td>");
    }

    @Test
    void escapesRawHtmlAndDropsScriptUrls() {
        String html = markdown.render("<img src=x onerror=alert(1)>\n\n[click](javascript:alert(1)) <script>x</script>");
        assertThat(html).doesNotContain("<img").doesNotContain("<script>").doesNotContain("javascript:")
                .contains("&lt;img");
    }

    @Test
    void rendersNothingForAnEmptyCard() {
        assertThat(markdown.render(null)).isEmpty();
        assertThat(markdown.render("  ")).isEmpty();
    }
}
