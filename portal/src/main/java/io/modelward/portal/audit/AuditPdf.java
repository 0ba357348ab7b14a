package io.modelward.portal.audit;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

import io.modelward.governance.Outcome;
import org.apache.pdfbox.io.IOUtils;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDType1Font;
import org.apache.pdfbox.pdmodel.font.Standard14Fonts;
import org.jspecify.annotations.Nullable;

/**
 * A short printable report of audit rows: title, who made it and when, the filters, totals by outcome, and a table
 * that continues over as many landscape pages as the rows need, up to a cap the report states. Pages are filled as
 * rows arrive and kept in a temporary file rather than the heap; the PDF's standard fonts print Latin-1 text, so
 * other characters show as {@code ?}.
 */
final class AuditPdf implements Closeable {

    /** What the report says about itself before the rows. */
    record Heading(Instant generatedAt, String generatedBy, String filters, AuditQueries.Totals totals, long maxRows) {

        boolean capped() {
            return totals.total() > maxRows;
        }
    }

    private static final PDRectangle PAGE = new PDRectangle(PDRectangle.A4.getHeight(), PDRectangle.A4.getWidth());
    private static final float MARGIN = 36;
    private static final float ROW = 11;
    private static final float TEXT = 7.5f;
    private static final String[] COLUMNS = { "Time (UTC)", "Chain / seq", "User", "Action", "Model version",
            "Outcome", "HTTP", "Purpose", "Output or detail" };
    private static final float[] WIDTHS = { 80, 92, 100, 112, 110, 72, 30, 80, 94 };
    private static final DateTimeFormatter GENERATED = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'")
            .withZone(ZoneOffset.UTC);

    private final PDType1Font regular = new PDType1Font(Standard14Fonts.FontName.HELVETICA);
    private final PDType1Font bold = new PDType1Font(Standard14Fonts.FontName.HELVETICA_BOLD);
    private final BitSet encodable = new BitSet(256);
    private final BitSet checked = new BitSet(256);
    private final PDDocument document;
    private @Nullable PDPageContentStream page;
    private float y;
    private long rows;

    AuditPdf(Heading heading) throws IOException {
        this.document = new PDDocument(IOUtils.createTempFileOnlyStreamCache());
        PDPageContentStream first = newPage();
        y = PAGE.getHeight() - MARGIN - 14;
        text(first, bold, 16, MARGIN, y, "ModelWard audit report");
        y -= 22;
        text(first, regular, 9, MARGIN, y, "Generated " + GENERATED.format(heading.generatedAt()) + " by "
                + heading.generatedBy());
        for (String line : wrap("Filters: " + heading.filters(), regular, 9, PAGE.getWidth() - 2 * MARGIN, 6)) {
            y -= 13;
            text(first, regular, 9, MARGIN, y, line);
        }
        y -= 13;
        text(first, bold, 9, MARGIN, y, "Totals: " + totals(heading.totals()));
        if (heading.capped()) {
            y -= 13;
            text(first, bold, 9, MARGIN, y, "This report lists the newest " + number(heading.maxRows()) + " of "
                    + number(heading.totals().total()) + " events: export CSV or FHIR for all of them.");
        }
        y -= 20;
        tableHeader(first);
    }

    void row(AuditEntry e) throws IOException {
        PDPageContentStream content = page;
        if (content == null || y - ROW < MARGIN + 14) {
            content = newPage();
            y = PAGE.getHeight() - MARGIN;
            tableHeader(content);
        }
        y -= ROW;
        String[] cells = { e.time(), e.chainId() + " / " + e.seq(), e.who(), e.action(), e.modelVersion(),
                e.outcome() == null ? "" : e.outcome().name(), e.httpStatus() == null ? "" : e.httpStatus().toString(),
                orEmpty(e.purpose()), orEmpty(e.outputSummary() != null ? e.outputSummary() : e.detail()) };
        cells(content, regular, cells);
        rows++;
    }

    /** Numbers the pages, writes the document to {@code out} and releases it. */
    void finish(OutputStream out) throws IOException {
        PDPageContentStream content = page;
        if (rows == 0 && content != null) {
            y -= ROW + 4;
            text(content, regular, 9, MARGIN, y, "No events match these filters.");
        }
        closePage();
        int count = document.getNumberOfPages();
        for (int i = 0; i < count; i++) {
            try (PDPageContentStream footer = new PDPageContentStream(document, document.getPage(i),
                    PDPageContentStream.AppendMode.APPEND, true)) {
                text(footer, regular, 8, MARGIN, MARGIN - 14, "ModelWard audit report, page " + (i + 1) + " of "
                        + count);
            }
        }
        document.save(out);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        closePage();
        document.close();
    }

    private PDPageContentStream newPage() throws IOException {
        closePage();
        PDPage next = new PDPage(PAGE);
        document.addPage(next);
        PDPageContentStream content = new PDPageContentStream(document, next);
        page = content;
        return content;
    }

    private void closePage() throws IOException {
        if (page != null) {
            page.close();
            page = null;
        }
    }

    private void tableHeader(PDPageContentStream content) throws IOException {
        y -= ROW;
        cells(content, bold, COLUMNS);
        content.setLineWidth(0.5f);
        content.moveTo(MARGIN, y - 3);
        content.lineTo(PAGE.getWidth() - MARGIN, y - 3);
        content.stroke();
        y -= 2;
    }

    private void cells(PDPageContentStream content, PDType1Font font, String[] cells) throws IOException {
        float x = MARGIN;
        for (int i = 0; i < cells.length; i++) {
            text(content, font, TEXT, x, y, fit(cells[i], font, TEXT, WIDTHS[i] - 4));
            x += WIDTHS[i];
        }
    }

    private void text(PDPageContentStream content, PDType1Font font, float size, float x, float atY, String text)
            throws IOException {
        content.beginText();
        content.setFont(font, size);
        content.newLineAtOffset(x, atY);
        content.showText(printable(text, font));
        content.endText();
    }

    /** The text cut to fit the width, ending in an ellipsis when cut. */
    private String fit(String text, PDType1Font font, float size, float width) throws IOException {
        String clean = printable(text, font);
        if (width(clean, font, size) <= width) {
            return clean;
        }
        float room = width - width("…", font, size);
        StringBuilder kept = new StringBuilder();
        float used = 0;
        for (int i = 0; i < clean.length(); i++) {
            float w = width(String.valueOf(clean.charAt(i)), font, size);
            if (used + w > room) {
                break;
            }
            kept.append(clean.charAt(i));
            used += w;
        }
        return kept + "…";
    }

    private List<String> wrap(String text, PDType1Font font, float size, float width, int maxLines)
            throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : printable(text, font).split(" ")) {
            String candidate = line.isEmpty() ? word : line + " " + word;
            if (width(candidate, font, size) > width && !line.isEmpty()) {
                lines.add(line.toString());
                line = new StringBuilder(word);
            }
            else {
                line = new StringBuilder(candidate);
            }
        }
        lines.add(line.toString());
        List<String> kept = new ArrayList<>(lines.subList(0, Math.min(maxLines, lines.size())));
        if (lines.size() > maxLines) {
            kept.set(maxLines - 1, kept.get(maxLines - 1) + " …");
        }
        for (int i = 0; i < kept.size(); i++) {
            kept.set(i, fit(kept.get(i), font, size, width));
        }
        return kept;
    }

    private static float width(String text, PDType1Font font, float size) throws IOException {
        return font.getStringWidth(text) / 1000 * size;
    }

    /** Control characters become spaces, characters the standard fonts cannot print become {@code ?}. */
    private String printable(String text, PDType1Font font) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(' ');
            }
            else if (c < 256 ? canEncode(c, font) : c == '…') {
                out.append(c);
            }
            else {
                out.append('?');
            }
        }
        return out.toString();
    }

    private boolean canEncode(char c, PDType1Font font) {
        if (!checked.get(c)) {
            checked.set(c);
            try {
                font.encode(String.valueOf(c));
                encodable.set(c);
            }
            catch (IOException | IllegalArgumentException ex) {
                encodable.clear(c);
            }
        }
        return encodable.get(c);
    }

    private static String totals(AuditQueries.Totals totals) {
        List<String> parts = new ArrayList<>();
        parts.add(number(totals.total()) + " events");
        for (Outcome outcome : Outcome.values()) {
            parts.add(outcome.name() + " " + number(totals.of(outcome)));
        }
        if (totals.none() > 0) {
            parts.add("no outcome " + number(totals.none()));
        }
        return String.join(", ", parts);
    }

    private static String number(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }

    private static String orEmpty(@Nullable String text) {
        return text == null ? "" : text;
    }
}
