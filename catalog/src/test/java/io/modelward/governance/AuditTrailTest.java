package io.modelward.governance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/** The chained, append-only audit table on the real database: writing, refusing changes, and catching tampering. */
@SpringBootTest
class AuditTrailTest {

    @Autowired
    AuditChainStore chains;

    @Autowired
    AuditVerifier verifier;

    @Autowired
    AuditLog audit;

    @Autowired
    JdbcTemplate jdbc;

    @Autowired
    TransactionTemplate transactions;

    @Test
    void chainsRowsAndVerifiesThem() {
        String chain = "test-" + System.nanoTime();
        List<AuditChainStore.Chained> first = append(chain, 3);
        List<AuditChainStore.Chained> second = append(chain, 2);
        assertThat(first).extracting(AuditChainStore.Chained::seq).containsExactly(1L, 2L, 3L);
        assertThat(first.getFirst().prevHash()).isEqualTo(AuditHashing.GENESIS);
        assertThat(second.getFirst().prevHash()).isEqualTo(first.getLast().hash());
        assertThat(second.getLast().seq()).isEqualTo(5);
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
        assertThat(result.rows()).isGreaterThanOrEqualTo(5);
    }

    @Test
    void continuesAChainFromTheHeadItsWriterLastLeft() {
        String chain = "known-" + System.nanoTime();
        List<AuditChainStore.Chained> first = append(chain, 2);
        List<AuditChainStore.Chained> next = transactions.execute(status -> chains.appendAfter(chain,
                AuditChainStore.Head.after(first), records(3)));
        assertThat(next).extracting(AuditChainStore.Chained::seq).containsExactly(3L, 4L, 5L);
        assertThat(next.getFirst().prevHash()).isEqualTo(first.getLast().hash());
        assertThat(append(chain, 1).getFirst().prevHash()).isEqualTo(next.getLast().hash());
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void refusesToContinueFromAHeadTheChainHasMovedPastAndWritesNothing() {
        String chain = "moved-" + System.nanoTime();
        AuditChainStore.Head seen = AuditChainStore.Head.after(append(chain, 2));
        append(chain, 1);
        assertThatThrownBy(() -> transactions.execute(status -> chains.appendAfter(chain, seen, records(2))))
                .isInstanceOf(AuditChainStore.ChainMoved.class).hasMessageContaining("no longer ends at 2");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE chain_id = ?", Long.class, chain))
                .isEqualTo(3);
        assertThat(jdbc.queryForObject("SELECT seq FROM audit_chain_head WHERE chain_id = ?", Long.class, chain))
                .isEqualTo(3);
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void appendsASmallBatchWithoutATransactionInOneStatementThatCommitsOnItsOwn() {
        String chain = "alone-" + System.nanoTime();
        AuditChainStore.Head head = AuditChainStore.Head.after(append(chain, 1));
        List<AuditChainStore.Chained> rows = chains.appendAfter(chain, head, records(AuditChainStore.COPY_FROM - 1));
        assertThat(rows.getLast().seq()).isEqualTo(AuditChainStore.COPY_FROM);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE chain_id = ?", Long.class, chain))
                .isEqualTo(AuditChainStore.COPY_FROM);
        assertThat(jdbc.queryForObject("SELECT hash FROM audit_chain_head WHERE chain_id = ?", String.class, chain))
                .isEqualTo(rows.getLast().hash());
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE chain_id = ? AND seq = 5", String.class,
                chain)).isEqualTo("a \"quoted\", comma\nand a new line");
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void writesNothingWithoutATransactionWhenTheChainHasMovedOn() {
        String chain = "alone-moved-" + System.nanoTime();
        AuditChainStore.Head seen = AuditChainStore.Head.after(append(chain, 1));
        append(chain, 1);
        assertThatThrownBy(() -> chains.appendAfter(chain, seen, records(3)))
                .isInstanceOf(AuditChainStore.ChainMoved.class);
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE chain_id = ?", Long.class, chain))
                .isEqualTo(2);
    }

    @Test
    void needsATransactionForABatchLargeEnoughForCopy() {
        String chain = "alone-large-" + System.nanoTime();
        AuditChainStore.Head head = AuditChainStore.Head.after(append(chain, 1));
        assertThatThrownBy(() -> chains.appendAfter(chain, head, records(AuditChainStore.COPY_FROM)))
                .isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
        List<AuditChainStore.Chained> rows = transactions.execute(status -> chains.appendAfter(chain, head,
                records(AuditChainStore.COPY_FROM)));
        assertThat(rows).hasSize(AuditChainStore.COPY_FROM);
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void writesLargeBatchesThroughCopyWithTheSameChainAndContent() {
        String chain = "copy-" + System.nanoTime();
        List<AuditChainStore.Chained> rows = append(chain, AuditChainStore.COPY_FROM + 5);
        assertThat(rows.getLast().seq()).isEqualTo(AuditChainStore.COPY_FROM + 5);
        assertThat(jdbc.queryForObject("SELECT output_summary || '|' || coalesce(detail, 'NULL') || '|' || input_size "
                + "FROM audit_event WHERE chain_id = ? AND seq = 7", String.class, chain)).isEqualTo("9 (0.98)|NULL|128");
        assertThat(jdbc.queryForObject("SELECT detail FROM audit_event WHERE chain_id = ? AND seq = 4", String.class,
                chain)).isEqualTo("a \"quoted\", comma\nand a new line");
        assertThat(verifier.verify().intact()).isTrue();
    }

    @Test
    void recordsGovernanceActionsInTheCallersTransactionOnly() {
        String model = "gov-" + System.nanoTime();
        GovernanceEvent event = new GovernanceEvent(Actor.of("alice", Role.RESEARCHER), GovernanceAction.MODEL_REGISTERED,
                model, null, "registered");
        assertThatThrownBy(() -> audit.record(event)).as("never outside a transaction")
                .isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);
        transactions.executeWithoutResult(status -> {
            audit.record(event);
            status.setRollbackOnly();
        });
        assertThat(count(model)).as("rolled back with the action").isZero();
        transactions.executeWithoutResult(status -> audit.record(event));
        assertThat(jdbc.queryForObject("SELECT chain_id || ':' || actor_subject || ':' || actor_roles || ':' || outcome "
                + "FROM audit_event WHERE model = ?", String.class, model)).isEqualTo("governance:alice:researcher:OK");
    }

    @Test
    void refusesUpdateDeleteAndTruncate() {
        String chain = "locked-" + System.nanoTime();
        append(chain, 1);
        assertThatThrownBy(() -> jdbc.update("UPDATE audit_event SET detail = 'x' WHERE chain_id = ?", chain))
                .rootCause().hasMessageContaining("audit_event is append-only: UPDATE is not allowed");
        assertThatThrownBy(() -> jdbc.update("DELETE FROM audit_event WHERE chain_id = ?", chain))
                .rootCause().hasMessageContaining("audit_event is append-only: DELETE is not allowed");
        assertThatThrownBy(() -> jdbc.execute("TRUNCATE audit_event"))
                .rootCause().hasMessageContaining("audit_event is append-only: TRUNCATE is not allowed");
        assertThat(jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE chain_id = ?", Long.class, chain))
                .isEqualTo(1);
    }

    @Test
    void catchesATamperedRowAtThatRow() {
        String chain = "aaa-tampered-" + System.nanoTime();
        append(chain, 4);
        transactions.executeWithoutResult(status -> {
            jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete");
            jdbc.update("UPDATE audit_event SET output_summary = 'cat 0.99' WHERE chain_id = ? AND seq = 3", chain);
            jdbc.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete");
        });
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).isFalse();
        assertThat(result.firstBreak()).isEqualTo(new AuditVerifier.Break(chain, 3,
                "its content does not match its hash: the row was changed"));
        // leave the trail intact for the other tests: this chain is dropped with a partition-free delete
        transactions.executeWithoutResult(status -> {
            jdbc.execute("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_update_or_delete");
            jdbc.update("DELETE FROM audit_event WHERE chain_id = ?", chain);
            jdbc.update("DELETE FROM audit_chain_head WHERE chain_id = ?", chain);
            jdbc.execute("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_update_or_delete");
        });
    }

    @Test
    void createsMonthlyPartitionsAheadAndDropsOnlyWholeOldOnes() {
        assertThat(jdbc.queryForObject("SELECT audit_ensure_partitions(3)", Integer.class)).isZero();
        String thisMonth = jdbc.queryForObject("SELECT 'audit_event_' || to_char(now(), 'YYYY_MM')", String.class);
        assertThat(jdbc.queryForObject("SELECT to_regclass(?) IS NOT NULL", Boolean.class, thisMonth)).isTrue();
        assertThat(jdbc.queryForList("SELECT audit_drop_partitions_before(now() - interval '400 days')", String.class))
                .isEmpty();
    }

    private List<AuditChainStore.Chained> append(String chain, int rows) {
        return transactions.execute(status -> chains.append(chain, records(rows)));
    }

    private static List<AuditRecord> records(int rows) {
        return IntStream.range(0, rows)
                .mapToObj(i -> new AuditRecord(Instant.now(), "req-" + i, "robot", "Robot", "inference-client",
                        "inference-client", "127.0.0.1", "INFER", "digits", "1.0", "digits-prod", "a".repeat(64),
                        "b".repeat(64), 128L, "application/json", "9 (0.98)", "c".repeat(64), 200, Outcome.OK, 1234L,
                        "treatment", i == 3 ? "a \"quoted\", comma\nand a new line" : null))
                .toList();
    }

    private long count(String model) {
        return jdbc.queryForObject("SELECT count(*) FROM audit_event WHERE model = ?", Long.class, model);
    }
}
