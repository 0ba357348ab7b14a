package io.modelward.portal.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;

import ca.uhn.fhir.context.FhirContext;
import io.modelward.governance.Actor;
import io.modelward.governance.GovernanceAction;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Controller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;

/**
 * Exports of the filtered trail as CSV, as a FHIR R4 Bundle of AuditEvent, and as a PDF report. Each checks the
 * caller and the filters, records the export on the trail, then writes rows to the response as the database cursor
 * returns them. The PDF is for reading, so it stops at {@value #PDF_MAX_ROWS} rows and says so.
 */
@Controller
class AuditExports {

    static final long PDF_MAX_ROWS = 10_000;

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")
            .withZone(ZoneOffset.UTC);

    private final AuditQueries queries;
    private final AuditUse use;
    private final FhirContext fhir;
    private final Clock clock = Clock.systemUTC();

    AuditExports(AuditQueries queries, AuditUse use, FhirContext fhir) {
        this.queries = queries;
        this.use = use;
        this.fhir = fhir;
    }

    @GetMapping("/audit/export.csv")
    void csv(@ModelAttribute AuditFilter filter, Actor actor, HttpServletResponse response) throws IOException {
        AuditFilter.Criteria criteria = begin(actor, filter, "csv");
        start(response, "text/csv; charset=UTF-8; header=present", "csv");
        Writer out = writer(response);
        AuditCsv csv = new AuditCsv(out);
        queries.stream(criteria, Long.MAX_VALUE, csv::row);
        out.flush();
    }

    @GetMapping("/audit/export.fhir.json")
    void fhir(@ModelAttribute AuditFilter filter, Actor actor, HttpServletResponse response) throws IOException {
        AuditFilter.Criteria criteria = begin(actor, filter, "fhir");
        start(response, "application/fhir+json; charset=UTF-8", "fhir.json");
        AuditFhir bundle = new AuditFhir(fhir, writer(response), clock.instant().truncatedTo(ChronoUnit.MILLIS));
        queries.stream(criteria, Long.MAX_VALUE, bundle::row);
        bundle.finish();
    }

    @GetMapping("/audit/export.pdf")
    void pdf(@ModelAttribute AuditFilter filter, Actor actor, HttpServletResponse response) throws IOException {
        AuditFilter.Criteria criteria = begin(actor, filter, "pdf");
        AuditPdf.Heading heading = new AuditPdf.Heading(clock.instant(), actor.displayName() + " ("
                + actor.subject() + ")", filter.describe(), queries.totals(criteria), PDF_MAX_ROWS);
        try (AuditPdf report = new AuditPdf(heading)) {
            queries.stream(criteria, PDF_MAX_ROWS, report::row);
            start(response, "application/pdf", "pdf");
            report.finish(response.getOutputStream());
        }
    }

    /** Checks the caller and the filters, then records the export before any row leaves. */
    private AuditFilter.Criteria begin(Actor actor, AuditFilter filter, String format) {
        use.requireAuditor(actor, GovernanceAction.AUDIT_EXPORTED);
        AuditFilter.Criteria criteria = filter.criteria();
        use.exported(actor, format, filter);
        return criteria;
    }

    private void start(HttpServletResponse response, String contentType, String extension) {
        Instant now = clock.instant();
        response.setContentType(contentType);
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                .filename("modelward-audit-" + FILE_TIME.format(now) + "." + extension).build().toString());
    }

    private static Writer writer(HttpServletResponse response) throws IOException {
        return new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8), 65_536);
    }
}
