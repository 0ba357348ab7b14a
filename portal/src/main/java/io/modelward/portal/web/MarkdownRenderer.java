package io.modelward.portal.web;

import java.util.List;

import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Renders model cards. Raw HTML in the Markdown is escaped, not passed through, and link and image URLs are
 * sanitised (no {@code javascript:}), so a model card cannot inject script into the portal.
 */
@Component
public class MarkdownRenderer {

    private final Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();
    private final HtmlRenderer renderer = HtmlRenderer.builder().extensions(List.of(TablesExtension.create()))
            .escapeHtml(true).sanitizeUrls(true).build();

    public String render(@Nullable String markdown) {
        return markdown == null || markdown.isBlank() ? "" : renderer.render(parser.parse(markdown));
    }
}
