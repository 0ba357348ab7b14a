package io.modelward.portal.audit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.time.Instant;
import java.util.Map;

import io.modelward.governance.Outcome;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.junit.jupiter.api.Test;

/** The PDF report on its own: pages, the cap it states, and text its fonts cannot print. */
class AuditPdfTest {

    @Test
    void continuesTheTableOverPagesAndSaysWhenTheRowsWereCapped() throws Exception {
        AuditQueries.Totals totals = new AuditQueries.Totals(Map.of(Outcome.OK, 400L, Outcome.DENIED, 7L), 0);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AuditPdf pdf = new AuditPdf(new AuditPdf.Heading(Instant.parse("2026-03-01T10:00:00Z"), "Carol (carol)",
                "outcome=OK", totals, 120))) {
            for (int i = 0; i < 120; i++) {
                pdf.row(entry(i, i == 5 ? "Zoë 李 \u0007 name" : "user " + i));
            }
            pdf.finish(out);
        }
        try (PDDocument document = Loader.loadPDF(out.toByteArray())) {
            assertThat(document.getNumberOfPages()).isEqualTo(3);
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("Generated 2026-03-01 10:00:00 UTC by Carol (carol)",
                    "Totals: 407 events, OK 400, CLIENT_ERROR 0, SERVER_ERROR 0, DENIED 7, UNAVAILABLE 0",
                    "This report lists the newest 120 of 407 events", "user 119", "Zoë ?", "page 3 of 3");
        }
    }

    @Test
    void saysSoWhenNoRowsMatch() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (AuditPdf pdf = new AuditPdf(new AuditPdf.Heading(Instant.now(), "Carol (carol)", "none (all events)",
                new AuditQueries.Totals(Map.of(), 0), 10_000))) {
            pdf.finish(out);
        }
        try (PDDocument document = Loader.loadPDF(out.toByteArray())) {
            assertThat(new PDFTextStripper().getText(document)).contains("No events match these filters.",
                    "Totals: 0 events", "page 1 of 1");
        }
    }

    private static AuditEntry entry(int i, String name) {
        return new AuditEntry("gateway", i + 1, Instant.parse("2026-03-01T09:00:00Z").plusSeconds(i), null, "u" + i,
                name, null, null, null, AuditEntry.INFER, "digits", "1.0", null, null, null, null, null, "7 (0.9)",
                null, 200, Outcome.OK, 10L, "treatment", null, "0".repeat(64), "1".repeat(64));
    }
}
