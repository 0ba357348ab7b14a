package io.modelward.portal.audit;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;

import io.modelward.governance.AuditChainStore;
import io.modelward.governance.AuditRecord;
import io.modelward.governance.Outcome;
import io.modelward.portal.TestData;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Three dozen audit rows over three UTC days in two chains of their own: chain A serves model A (24 rows), chain B
 * model B (12 rows, one of them a governance action); two users, every outcome, two purposes. Model names are
 * unique, so the rows of other tests never match a filter on them.
 */
final class AuditFixture {

    static final Instant START = Instant.parse("2025-03-10T00:00:00Z");
    static final Outcome[] OUTCOMES = { Outcome.OK, Outcome.OK, Outcome.CLIENT_ERROR, Outcome.OK, Outcome.SERVER_ERROR,
            Outcome.DENIED, Outcome.OK, Outcome.UNAVAILABLE };
    static final int[] STATUSES = { 200, 200, 400, 200, 500, 403, 200, 503 };
    static final String TRICKY_SUMMARY = "line 1\r\n\"quoted\", =SUM(A1)";

    final String chainA = TestData.unique("gw-a");
    final String chainB = TestData.unique("gw-b");
    final String modelA = TestData.unique("digits");
    final String modelB = TestData.unique("chest");
    /** Every row, newest first, as the trail lists them. */
    final List<Row> rows;

    /** A row as written, with its place in its chain. */
    record Row(String chain, long seq, AuditRecord record) {
    }

    AuditFixture(AuditChainStore chains, TransactionTemplate transactions) {
        List<AuditRecord> a = new ArrayList<>();
        List<AuditRecord> b = new ArrayList<>();
        for (int i = 0; i < 36; i++) {
            boolean inB = i % 3 == 0;
            boolean robot = i % 2 == 0;
            Outcome outcome = OUTCOMES[i % OUTCOMES.length];
            String action = i == 3 ? "VERSION_APPROVED" : AuditEntry.INFER;
            (inB ? b : a).add(new AuditRecord(START.plus(Duration.ofMinutes(90L * i)), "req-" + i,
                    robot ? "robot" : "ann.nurse", robot ? "Robot Arm" : "Ann Nurse",
                    robot ? "inference-client" : "researcher", robot ? "ward-7" : null, "10.0.0." + i, action,
                    inB ? modelB : modelA, "1.0", (inB ? modelB : modelA) + "-prod", "a".repeat(64),
                    Integer.toHexString(i).repeat(64).substring(0, 64), 100L + i, "application/json",
                    i == 7 ? TRICKY_SUMMARY : "class " + i + ", p=0.9", "c".repeat(64),
                    STATUSES[i % STATUSES.length], outcome, 1000L + i, i % 5 == 0 ? "research" : "treatment",
                    i == 3 ? "approved after review" : null));
        }
        List<Row> written = new ArrayList<>();
        transactions.executeWithoutResult(status -> {
            chains.append(chainA, a).forEach(c -> written.add(new Row(c.chainId(), c.seq(), c.record())));
            chains.append(chainB, b).forEach(c -> written.add(new Row(c.chainId(), c.seq(), c.record())));
        });
        written.sort(Comparator.comparing((Row r) -> r.record().at()).reversed());
        this.rows = List.copyOf(written);
    }

    List<Row> where(Predicate<Row> filter) {
        return rows.stream().filter(filter).toList();
    }

    List<Row> ofModel(String model) {
        return where(r -> model.equals(r.record().model()));
    }

    static long count(List<Row> rows, Outcome outcome) {
        return rows.stream().filter(r -> r.record().outcome() == outcome).count();
    }

    /** Drops a chain's rows and head, with the append-only trigger off for that moment only. */
    static void drop(JdbcTemplate jdbc, TransactionTemplate transactions, String chain) {
        transactions.executeWithoutResult(status -> {
            jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete");
            jdbc.update("DELETE FROM audit_event WHERE chain_id = ?", chain);
            jdbc.update("DELETE FROM audit_chain_head WHERE chain_id = ?", chain);
            jdbc.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete");
        });
    }
}
