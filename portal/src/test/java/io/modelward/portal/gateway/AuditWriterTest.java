package io.modelward.portal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;

import io.modelward.governance.AuditChainStore;
import io.modelward.governance.AuditRecord;
import io.modelward.governance.AuditVerifier;
import io.modelward.governance.Outcome;
import io.modelward.portal.PortalTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.transaction.support.TransactionTemplate;

/** The group-commit writer on the real database: it keeps its chain whole even when another writer appends to it. */
@PortalTest
class AuditWriterTest {

    @Autowired
    AuditWriter writer;

    @Autowired
    AuditChainStore chains;

    @Autowired
    TransactionTemplate transactions;

    @Autowired
    AuditVerifier verifier;

    @Test
    void continuesItsChainAfterAnotherWriterAppendedToIt() {
        AuditChainStore.Chained mine = writer.write(record("first")).join();
        AuditChainStore.Chained theirs = transactions.execute(status -> chains.append(writer.chainId(),
                List.of(record("from another portal with the same chain id")))).getFirst();
        AuditChainStore.Chained next = writer.write(record("after")).join();
        AuditChainStore.Chained last = writer.write(record("and on")).join();

        assertThat(theirs.seq()).isEqualTo(mine.seq() + 1);
        assertThat(next.seq()).isEqualTo(theirs.seq() + 1);
        assertThat(next.prevHash()).isEqualTo(theirs.hash());
        assertThat(last.prevHash()).isEqualTo(next.hash());
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
    }

    private static AuditRecord record(String requestId) {
        return new AuditRecord(Instant.now(), requestId, "robot", "Robot", "inference-client", "inference-client",
                "127.0.0.1", "INFER", "digits", "1.0", "digits-prod", "a".repeat(64), "b".repeat(64), 128L,
                "application/json", "9 (0.98)", "c".repeat(64), 200, Outcome.OK, 1234L, null, null);
    }
}
