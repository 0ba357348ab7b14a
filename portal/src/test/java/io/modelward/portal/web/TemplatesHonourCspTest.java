package io.modelward.portal.web;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

/**
 * The portal's Content-Security-Policy allows only same-origin scripts and styles, so the templates must not carry
 * inline scripts, inline event handlers or style attributes: the browser would silently ignore them.
 */
class TemplatesHonourCspTest {

    private static final Pattern INLINE = Pattern.compile(
            "\\sstyle=\"|<script(?![^>]*\\bth:src=)(?![^>]*\\bsrc=)[^>]*>|\\son[a-z]+=\"", Pattern.CASE_INSENSITIVE);

    @Test
    void templatesHaveNoInlineScriptsHandlersOrStyles() throws IOException {
        try (Stream<Path> files = Files.walk(Path.of("src/main/resources/templates"))) {
            List<String> offenders = files.filter(p -> p.toString().endsWith(".html")).flatMap(p -> {
                try {
                    List<String> lines = Files.readAllLines(p);
                    return java.util.stream.IntStream.range(0, lines.size())
                            .filter(i -> INLINE.matcher(lines.get(i)).find())
                            .mapToObj(i -> p + ":" + (i + 1) + ": " + lines.get(i).strip());
                }
                catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }).toList();
            assertThat(offenders).isEmpty();
        }
    }
}
