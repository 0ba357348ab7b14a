package io.modelward.portal.audit;

import static io.modelward.portal.TestData.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Locale;
import java.util.stream.LongStream;

import io.modelward.governance.AuditChainStore;
import io.modelward.governance.AuditRecord;
import io.modelward.governance.Outcome;
import io.modelward.portal.PortalTest;
import io.modelward.portal.TestData;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.transaction.support.TransactionTemplate;

/** The auditors' pages and API: filters, paging, charts data, the chain check, and who may see any of it. */
@PortalTest
class AuditPagesTest {

    static final RequestPostProcessor CAROL = user("carol").roles("AUDITOR");
    static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");
    static final RequestPostProcessor ALICE = user("alice").roles("RESEARCHER");
    static final RequestPostProcessor BOB = user("bob").roles("MODEL_APPROVER");

    @Autowired
    MockMvc mvc;

    @Autowired
    AuditChainStore chains;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    AuditFixture trail;

    @BeforeEach
    void writeTrail() {
        trail = new AuditFixture(chains, transactions);
    }

    @Test
    void filtersByModelUserOutcomePurposeActionAndTimeNewestFirst() throws Exception {
        List<AuditFixture.Row> a = trail.ofModel(trail.modelA);
        mvc.perform(get("/api/audit/events").param("model", trail.modelA).with(as("carol")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.total").value(24))
                .andExpect(jsonPath("$.size").value(50))
                .andExpect(jsonPath("$.items.length()").value(24))
                .andExpect(jsonPath("$.items[0].chainId").value(a.getFirst().chain()))
                .andExpect(jsonPath("$.items[0].seq").value(a.getFirst().seq()))
                .andExpect(jsonPath("$.items[0].at").value(a.getFirst().record().at().toString()))
                .andExpect(jsonPath("$.items[23].seq").value(1))
                .andExpect(jsonPath("$.totalsByOutcome.OK").value(AuditFixture.count(a, Outcome.OK)))
                .andExpect(jsonPath("$.totalsByOutcome.UNAVAILABLE").value(AuditFixture.count(a, Outcome.UNAVAILABLE)));

        expectTotal(get("/api/audit/events").param("model", trail.modelA).param("user", "ANN"),
                a.stream().filter(r -> "ann.nurse".equals(r.record().actorSubject())).count());
        expectTotal(get("/api/audit/events").param("model", trail.modelA).param("user", "bot"),
                a.stream().filter(r -> "robot".equals(r.record().actorSubject())).count());
        expectTotal(get("/api/audit/events").param("model", trail.modelA).param("outcome", "client_error"),
                AuditFixture.count(a, Outcome.CLIENT_ERROR));
        expectTotal(get("/api/audit/events").param("model", trail.modelB).param("purpose", "RESEARCH"),
                trail.ofModel(trail.modelB).stream().filter(r -> "research".equals(r.record().purpose())).count());
        expectTotal(get("/api/audit/events").param("model", trail.modelB).param("action", "VERSION_APPROVED"), 1);
        expectTotal(get("/api/audit/events").param("model", trail.modelA).param("from", "2025-03-11")
                .param("to", "2025-03-11"), a.stream().filter(r -> r.record().at().toString().startsWith("2025-03-11"))
                .count());
        expectTotal(get("/api/audit/events").param("model", trail.modelA).param("from", "2025-03-10T06:00:00Z")
                .param("to", "2025-03-10T12:00:00+00:00"), 3);
        expectTotal(get("/api/audit/events").param("user", "%").param("model", trail.modelA), 0);
    }

    @Test
    void pagesThroughTheRowsAndClampsThePageSize() throws Exception {
        List<AuditFixture.Row> a = trail.ofModel(trail.modelA);
        mvc.perform(get("/api/audit/events").param("model", trail.modelA).param("size", "10").param("page", "2")
                .with(as("carol")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.page").value(2))
                .andExpect(jsonPath("$.items.length()").value(4))
                .andExpect(jsonPath("$.items[0].seq").value(a.get(20).seq()))
                .andExpect(jsonPath("$.items[3].seq").value(a.get(23).seq()));
        mvc.perform(get("/api/audit/events").param("model", trail.modelA).param("size", "100000").with(as("carol")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.size").value(AuditQueries.MAX_PAGE_SIZE));

        mvc.perform(get("/audit").param("model", trail.modelA).param("size", "10").param("page", "1").with(CAROL))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("<span id=\"total\">24</span>"),
                        containsString("Events 11–20 of 24 (page 2 of 3)"),
                        containsString("data-event=\"" + a.get(10).chain() + "/" + a.get(10).seq() + "\""),
                        not(containsString("data-event=\"" + a.get(9).chain() + "/" + a.get(9).seq() + "\"")),
                        containsString("id=\"page-next\" href=\"/audit?model=" + trail.modelA
                                + "&amp;size=10&amp;page=2\""),
                        containsString("id=\"export-csv\""),
                        containsString("data-stats-url=\"/audit/stats?model=" + trail.modelA + "\""))));
    }

    @Test
    void refusesBadFilterValuesWithPreciseProblems() throws Exception {
        mvc.perform(get("/api/audit/events").param("outcome", "MAYBE").param("from", "2025-13-01").with(as("carol")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.type").value("urn:modelward:problem:invalid-audit-filter"))
                .andExpect(jsonPath("$.detail").value(allOf(
                        containsString("from: '2025-13-01' is not a date"),
                        containsString("outcome: 'MAYBE' is not one of [OK, CLIENT_ERROR, SERVER_ERROR, DENIED, UNAVAILABLE]"))));
        mvc.perform(get("/api/audit/events").param("from", "2025-03-02").param("to", "2025-03-01").with(as("carol")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value("from: must be before to"));
        mvc.perform(get("/api/audit/events").param("user", "x".repeat(201)).with(as("carol")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail").value("user: at most 200 characters"));
        mvc.perform(get("/api/audit/events").param("action", "drop table").with(as("carol")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("action: 'drop table'")));
        mvc.perform(get("/api/audit/events").param("page", "-1").with(as("carol")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("page: must be between 0")));
        mvc.perform(get("/api/audit/events").param("page", "abc").with(as("carol")))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail").value("page: 'abc' is not a whole number"));
        mvc.perform(get("/audit").param("to", "yesterday").with(CAROL))
                .andExpect(status().isBadRequest())
                .andExpect(content().string(allOf(containsString("id=\"filter-error\""),
                        containsString("to: &#39;yesterday&#39; is not a date"), containsString("value=\"yesterday\""))));
        mvc.perform(get("/audit/stats").param("from", "2020-01-01").param("to", "2025-01-01").with(CAROL))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("the charts cover at most 366 days")));
    }

    @Test
    void countsEventsPerModelAndOutcomePerDayForTheCharts() throws Exception {
        List<AuditFixture.Row> a = trail.ofModel(trail.modelA);
        long firstDay = a.stream().filter(r -> r.record().at().toString().startsWith("2025-03-10")).count();
        long okFirstDay = a.stream().filter(r -> r.record().at().toString().startsWith("2025-03-10")
                && r.record().outcome() == Outcome.OK).count();
        mvc.perform(get("/audit/stats").param("model", trail.modelA).param("from", "2025-03-10")
                .param("to", "2025-03-12").with(CAROL))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.days").value(org.hamcrest.Matchers.contains("2025-03-10", "2025-03-11", "2025-03-12")))
                .andExpect(jsonPath("$.models.length()").value(1))
                .andExpect(jsonPath("$.models[0].label").value(trail.modelA))
                .andExpect(jsonPath("$.models[0].counts[0]").value(firstDay))
                .andExpect(jsonPath("$.outcomes[0].label").value("OK"))
                .andExpect(jsonPath("$.outcomes[0].counts[0]").value(okFirstDay));
        mvc.perform(get("/audit/stats").with(CAROL)).andExpect(status().isOk())
                .andExpect(jsonPath("$.days.length()").value(AuditStats.DEFAULT_DAYS));
        mvc.perform(get("/webjars/chart.js/dist/chart.umd.js")).andExpect(status().isOk());
        mvc.perform(get("/js/audit-charts.js")).andExpect(status().isOk());
    }

    @Test
    void showsEveryFieldOfAnEventWithItsHashes() throws Exception {
        AuditFixture.Row row = trail.ofModel(trail.modelB).stream()
                .filter(r -> "VERSION_APPROVED".equals(r.record().action())).findFirst().orElseThrow();
        String hash = jdbc.queryForObject("SELECT hash FROM audit_event WHERE chain_id = ? AND seq = ?", String.class,
                row.chain(), row.seq());
        String prev = jdbc.queryForObject("SELECT prev_hash FROM audit_event WHERE chain_id = ? AND seq = ?",
                String.class, row.chain(), row.seq());
        AuditRecord r = row.record();
        mvc.perform(get("/audit/events/{c}/{s}", row.chain(), row.seq()).with(ADMIN))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString(r.at().toString()), containsString(r.sourceIp()),
                        containsString(r.inputSha256()), containsString("approved after review"),
                        containsString(r.model() + "-prod"), containsString("id=\"hash\">" + hash),
                        containsString("id=\"prev-hash\">" + prev), containsString("id=\"previous-in-chain\""),
                        containsString("id=\"next-in-chain\""))));
        mvc.perform(get("/audit/events/{c}/{s}", row.chain(), 999).with(CAROL)).andExpect(status().isNotFound());
        mvc.perform(get("/audit/events/{c}/{s}", "x".repeat(300), 1).with(CAROL)).andExpect(status().isNotFound());
    }

    @Test
    void showsTheAuditNavigationToAuditorsAndAdminsOnly() throws Exception {
        mvc.perform(get("/models").with(CAROL)).andExpect(content().string(containsString("id=\"nav-audit\"")));
        mvc.perform(get("/models").with(ADMIN)).andExpect(content().string(containsString("id=\"nav-audit\"")));
        mvc.perform(get("/models").with(ALICE)).andExpect(content().string(not(containsString("id=\"nav-audit\""))));
    }

    @Test
    void refusesEveryoneButAuditorsAndAdmins() throws Exception {
        String event = "/audit/events/" + trail.chainA + "/1";
        for (RequestPostProcessor who : List.of(ALICE, BOB)) {
            for (String path : List.of("/audit", event, "/audit/verify", "/audit/stats", "/audit/export.csv",
                    "/audit/export.fhir.json", "/audit/export.pdf")) {
                mvc.perform(get(path).with(who)).andExpect(status().isForbidden());
            }
            mvc.perform(post("/audit/verify").with(who).with(csrf())).andExpect(status().isForbidden());
        }
        for (String user : List.of("alice", "bob", "mallory", "robot")) {
            mvc.perform(get("/api/audit/events").with(as(user))).andExpect(status().isForbidden())
                    .andExpect(jsonPath("$.status").value(403));
            mvc.perform(post("/api/audit/verify").with(as(user))).andExpect(status().isForbidden());
        }
        mvc.perform(get("/audit")).andExpect(status().is3xxRedirection());
        mvc.perform(get("/api/audit/events")).andExpect(status().isUnauthorized());
        mvc.perform(get("/audit").with(ADMIN)).andExpect(status().isOk());
        mvc.perform(get("/api/audit/events").with(as("admin"))).andExpect(status().isOk());
        assertThat(exports("alice")).isZero();
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'AUDIT_EXPORTED' AND "
                + "actor_subject = 'alice' AND outcome = 'DENIED'", Long.class)).as("refused exports, on the trail")
                .isGreaterThanOrEqualTo(3);
    }

    @Test
    void verifiesAnIntactTrailAndRecordsTheCheck() throws Exception {
        mvc.perform(get("/audit/verify").with(CAROL)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"verify-form\""), containsString("name=\"_csrf\""),
                        not(containsString("id=\"verify-intact\"")))));
        mvc.perform(post("/audit/verify").with(CAROL)).andExpect(status().isForbidden());
        mvc.perform(post("/audit/verify").with(CAROL).with(csrf())).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"verify-intact\""),
                        containsString("The audit trail is intact"))));
        mvc.perform(post("/api/audit/verify").with(as("carol"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.intact").value(true))
                .andExpect(jsonPath("$.firstBreak").doesNotExist());
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'AUDIT_VERIFIED' "
                + "AND actor_subject = 'carol' AND chain_id = 'governance' AND detail LIKE 'intact: %'", Long.class))
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void showsTheChainAndRowWhereATamperedTrailBreaks() throws Exception {
        String chain = "aaa-" + TestData.unique("tamper");
        transactions.executeWithoutResult(status -> chains.append(chain, LongStream.range(0, 4)
                .mapToObj(i -> trail.rows.get((int) i).record()).toList()));
        try {
            transactions.executeWithoutResult(status -> {
                jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete");
                jdbc.update("UPDATE audit_event SET output_summary = 'cat (0.99)' WHERE chain_id = ? AND seq = 3",
                        chain);
                jdbc.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete");
            });
            mvc.perform(post("/audit/verify").with(CAROL).with(csrf())).andExpect(status().isOk())
                    .andExpect(content().string(allOf(containsString("id=\"verify-broken\""),
                            containsString("id=\"broken-chain\">" + chain + "<"),
                            containsString("id=\"broken-seq\">3<"),
                            containsString("its content does not match its hash"),
                            containsString("/audit/events/" + chain + "/3"))));
            mvc.perform(post("/api/audit/verify").with(as("admin"))).andExpect(status().isOk())
                    .andExpect(jsonPath("$.intact").value(false))
                    .andExpect(jsonPath("$.firstBreak.chainId").value(chain))
                    .andExpect(jsonPath("$.firstBreak.seq").value(3));
            assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'AUDIT_VERIFIED' "
                    + "AND actor_subject = 'admin' AND detail LIKE ?", Long.class,
                    "broken: chain " + chain + " at row 3%")).isEqualTo(1);
        }
        finally {
            AuditFixture.drop(jdbc, transactions, chain);
        }
        mvc.perform(post("/api/audit/verify").with(as("carol"))).andExpect(jsonPath("$.intact").value(true));
    }

    private void expectTotal(MockHttpServletRequestBuilder request, long total) throws Exception {
        mvc.perform(request.with(as("carol"))).andExpect(status().isOk()).andExpect(jsonPath("$.total").value(total));
    }

    private long exports(String subject) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE action = 'AUDIT_EXPORTED' AND "
                + "outcome = 'OK' AND lower(actor_subject) = ?", Long.class, subject.toLowerCase(Locale.ROOT));
    }
}
