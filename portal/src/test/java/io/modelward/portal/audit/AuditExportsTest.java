package io.modelward.portal.audit;

import static io.modelward.portal.TestData.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.context.support.DefaultProfileValidationSupport;
import ca.uhn.fhir.validation.FhirValidator;
import ca.uhn.fhir.validation.ResultSeverityEnum;
import ca.uhn.fhir.validation.SingleValidationMessage;
import ca.uhn.fhir.validation.ValidationResult;
import com.opencsv.CSVReader;
import com.opencsv.CSVReaderBuilder;
import com.opencsv.RFC4180ParserBuilder;
import io.modelward.governance.AuditChainStore;
import io.modelward.governance.AuditRecord;
import io.modelward.governance.Outcome;
import io.modelward.portal.PortalTest;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.hl7.fhir.common.hapi.validation.support.CommonCodeSystemsTerminologyService;
import org.hl7.fhir.common.hapi.validation.support.InMemoryTerminologyServerValidationSupport;
import org.hl7.fhir.common.hapi.validation.support.ValidationSupportChain;
import org.hl7.fhir.common.hapi.validation.validator.FhirInstanceValidator;
import org.hl7.fhir.r4.model.AuditEvent;
import org.hl7.fhir.r4.model.Bundle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.support.TransactionTemplate;

/** The CSV, FHIR and PDF exports: what they hold, that they parse and validate, and that each is audited. */
@PortalTest
class AuditExportsTest {

    static final RequestPostProcessor CAROL = user("carol").roles("AUDITOR");

    @Autowired
    MockMvc mvc;

    @Autowired
    AuditChainStore chains;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    FhirContext fhir;

    AuditFixture trail;

    @BeforeEach
    void writeTrail() {
        trail = new AuditFixture(chains, transactions);
    }

    @Test
    void exportsTheFilteredRowsAsCsv() throws Exception {
        List<AuditFixture.Row> expected = trail.ofModel(trail.modelA);
        byte[] body = mvc.perform(get("/audit/export.csv").param("model", trail.modelA).with(CAROL))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv; charset=UTF-8; header=present"))
                .andExpect(header().string("Content-Disposition",
                        org.hamcrest.Matchers.matchesPattern("attachment; filename=\"modelward-audit-\\d{8}-\\d{6}\\.csv\"")))
                .andReturn().getResponse().getContentAsByteArray();
        String text = new String(body, StandardCharsets.UTF_8);
        assertThat(text).startsWith(String.join(",", AuditCsv.HEADER) + "\r\n").endsWith("\r\n");
        assertThat(text.replace("\r\n", "")).as("every line ends in CRLF").doesNotContain("\n");
        assertThat(text).contains(",\"line 1\r\n\"\"quoted\"\", =SUM(A1)\",");

        List<String[]> lines;
        try (CSVReader csv = new CSVReaderBuilder(new StringReader(text))
                .withCSVParser(new RFC4180ParserBuilder().build()).withKeepCarriageReturn(true).build()) {
            lines = csv.readAll();
        }
        assertThat(lines).hasSize(expected.size() + 1);
        assertThat(lines.getFirst()).containsExactlyElementsOf(AuditCsv.HEADER);
        Map<String, Integer> column = AuditCsv.HEADER.stream().collect(Collectors.toMap(Function.identity(),
                AuditCsv.HEADER::indexOf));
        for (int i = 0; i < expected.size(); i++) {
            String[] line = lines.get(i + 1);
            AuditFixture.Row row = expected.get(i);
            AuditRecord r = row.record();
            assertThat(line).hasSize(AuditCsv.HEADER.size());
            assertThat(line[column.get("chain_id")]).isEqualTo(row.chain());
            assertThat(line[column.get("seq")]).isEqualTo(Long.toString(row.seq()));
            assertThat(line[column.get("at")]).isEqualTo(r.at().toString());
            assertThat(line[column.get("actor_name")]).isEqualTo(r.actorName());
            assertThat(line[column.get("outcome")]).isEqualTo(r.outcome().name());
            assertThat(line[column.get("http_status")]).isEqualTo(r.httpStatus().toString());
            assertThat(line[column.get("input_sha256")]).isEqualTo(r.inputSha256());
            assertThat(line[column.get("hash")]).hasSize(64);
            assertThat(line[column.get("detail")]).isEmpty();
        }
        String tricky = lines.stream().skip(1).map(l -> l[column.get("output_summary")])
                .filter(s -> s.startsWith("line 1")).findFirst().orElseThrow();
        assertThat(tricky).as("quotes, comma and CRLF survive; only a leading formula character is defused")
                .isEqualTo(AuditFixture.TRICKY_SUMMARY);
        assertThat(AuditCsv.field("=cmd|' /C calc'!A0")).isEqualTo("'=cmd|' /C calc'!A0");
        assertThat(lines.stream().skip(1).filter(l -> l[column.get("outcome")].equals("OK")).count())
                .isEqualTo(AuditFixture.count(expected, Outcome.OK));
    }

    @Test
    void exportsTheFilteredRowsAsAValidFhirBundleOfAuditEvents() throws Exception {
        List<AuditFixture.Row> expected = trail.ofModel(trail.modelB);
        String json = mvc.perform(get("/audit/export.fhir.json").param("model", trail.modelB).with(CAROL))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/fhir+json; charset=UTF-8"))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);

        ValidationResult validation = validator().validateWithResult(json);
        List<SingleValidationMessage> errors = validation.getMessages().stream()
                .filter(m -> m.getSeverity().ordinal() >= ResultSeverityEnum.ERROR.ordinal()).toList();
        assertThat(errors).as(() -> errors.stream().map(m -> m.getLocationString() + ": " + m.getMessage())
                .collect(Collectors.joining("\n"))).isEmpty();

        Bundle bundle = fhir.newJsonParser().parseResource(Bundle.class, json);
        assertThat(bundle.getType()).isEqualTo(Bundle.BundleType.COLLECTION);
        assertThat(bundle.getEntry()).hasSize(expected.size());
        assertThat(bundle.getEntry()).allSatisfy(e -> assertThat(e.getFullUrl()).startsWith("urn:uuid:"));

        AuditEvent newest = (AuditEvent) bundle.getEntryFirstRep().getResource();
        AuditRecord r = expected.getFirst().record();
        assertThat(newest.getType().getSystem()).isEqualTo("http://terminology.hl7.org/CodeSystem/audit-event-type");
        assertThat(newest.getType().getCode()).isEqualTo("rest");
        assertThat(newest.getAction()).isEqualTo(AuditEvent.AuditEventAction.E);
        assertThat(newest.getRecorded().toInstant()).isEqualTo(r.at());
        assertThat(newest.getOutcome().toCode()).isEqualTo(fhirOutcome(r.outcome()));
        AuditEvent.AuditEventAgentComponent agent = newest.getAgentFirstRep();
        assertThat(agent.getRequestor()).isTrue();
        assertThat(agent.getWho().getDisplay()).isEqualTo(r.actorName());
        assertThat(agent.getWho().getIdentifier().getValue()).isEqualTo(r.actorSubject());
        assertThat(agent.getNetwork().getAddress()).isEqualTo(r.sourceIp());
        assertThat(newest.getPurposeOfEventFirstRep().getText()).isEqualTo(r.purpose());
        AuditEvent.AuditEventEntityComponent entity = newest.getEntityFirstRep();
        assertThat(entity.getWhat().getDisplay()).isEqualTo(trail.modelB + " 1.0");
        Map<String, String> details = entity.getDetail().stream().collect(Collectors.toMap(
                AuditEvent.AuditEventEntityDetailComponent::getType, d -> d.getValue().primitiveValue()));
        assertThat(details).containsEntry("input_sha256", r.inputSha256())
                .containsEntry("output_sha256", r.outputSha256()).containsEntry("chain_id", trail.chainB)
                .containsKeys("hash", "prev_hash", "artifact_sha256");
        assertThat(details.get("hash")).hasSize(64);

        AuditEvent approval = bundle.getEntry().stream().map(e -> (AuditEvent) e.getResource())
                .filter(e -> e.getSubtype().stream().anyMatch(c -> c.getCode().equals("VERSION_APPROVED")))
                .findFirst().orElseThrow();
        assertThat(approval.getAction()).isEqualTo(AuditEvent.AuditEventAction.U);
        assertThat(approval.getSubtype()).anySatisfy(c -> {
            assertThat(c.getSystem()).isEqualTo("http://hl7.org/fhir/restful-interaction");
            assertThat(c.getCode()).isEqualTo("update");
        });
        assertThat(bundle.getEntry().stream().map(e -> ((AuditEvent) e.getResource()).getOutcome().toCode())
                .collect(Collectors.toSet())).contains("0", "4", "8", "12");
    }

    @Test
    void exportsAPdfReportWithTheFiltersTotalsAndRows() throws Exception {
        List<AuditFixture.Row> expected = trail.ofModel(trail.modelA);
        byte[] pdf = mvc.perform(get("/audit/export.pdf").param("model", trail.modelA).with(CAROL))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/pdf"))
                .andReturn().getResponse().getContentAsByteArray();
        try (PDDocument document = Loader.loadPDF(pdf)) {
            String text = new PDFTextStripper().getText(document);
            assertThat(text).contains("ModelWard audit report", "by carol (carol)", "Filters: model=" + trail.modelA,
                    "Totals: 24 events, OK " + AuditFixture.count(expected, Outcome.OK) + ", CLIENT_ERROR "
                            + AuditFixture.count(expected, Outcome.CLIENT_ERROR),
                    "Ann Nurse", "Robot Arm", trail.chainA + " / 1", "page 1 of")
                    .doesNotContain("This report lists the newest");
        }
    }

    @Test
    void recordsEveryExportOnTheTrailWithItsFormatAndFilters() throws Exception {
        long before = exports();
        mvc.perform(get("/audit/export.csv").param("model", trail.modelA).param("outcome", "OK").with(CAROL))
                .andExpect(status().isOk());
        mvc.perform(get("/audit/export.fhir.json").param("user", "ann").with(CAROL)).andExpect(status().isOk());
        mvc.perform(get("/audit/export.pdf").param("model", trail.modelB).with(user("admin").roles("ADMIN")))
                .andExpect(status().isOk());
        mvc.perform(get("/audit/export.csv").param("outcome", "SOMETIMES").with(CAROL))
                .andExpect(status().isBadRequest());
        assertThat(exports()).isEqualTo(before + 3);
        assertThat(jdbc.queryForList("SELECT actor_subject || ' ' || detail FROM audit_event WHERE action = "
                + "'AUDIT_EXPORTED' AND chain_id = 'governance' ORDER BY seq DESC LIMIT 3", String.class))
                .containsExactly("admin format=pdf; filters: model=" + trail.modelB,
                        "carol format=fhir; filters: user=ann",
                        "carol format=csv; filters: model=" + trail.modelA + ", outcome=OK");
        mvc.perform(get("/api/audit/events").param("action", "AUDIT_EXPORTED").param("user", "carol")
                .with(as("carol"))).andExpect(status().isOk());
    }

    private long exports() {
        return jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'AUDIT_EXPORTED'", Long.class);
    }

    private FhirValidator validator() {
        ValidationSupportChain support = new ValidationSupportChain(new DefaultProfileValidationSupport(fhir),
                new InMemoryTerminologyServerValidationSupport(fhir), new CommonCodeSystemsTerminologyService(fhir));
        FhirValidator validator = fhir.newValidator();
        validator.registerValidatorModule(new FhirInstanceValidator(support));
        return validator;
    }

    private static String fhirOutcome(Outcome outcome) {
        return switch (outcome) {
            case OK -> "0";
            case CLIENT_ERROR, DENIED -> "4";
            case SERVER_ERROR -> "8";
            case UNAVAILABLE -> "12";
        };
    }
}
