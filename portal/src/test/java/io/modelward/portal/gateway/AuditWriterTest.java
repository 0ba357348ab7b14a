package io.modelward.portal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import static io.modelward.portal.TestData.as;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import io.modelward.governance.AuditChainStore;
import io.modelward.governance.AuditRecord;
import io.modelward.governance.AuditVerifier;
import io.modelward.governance.Outcome;
import io.modelward.portal.PortalTest;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The group-commit writer on the real database: it keeps its chain whole even when another writer appends to it, never
 * writes a record whose caller stopped waiting, and the portal is not ready while it cannot write.
 */
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

    @Autowired
    JdbcClient jdbc;

    @Autowired
    MockMvc mvc;

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

    @Test
    void neverWritesARecordWhoseCallerStoppedWaitingForIt() throws Exception {
        writer.write(record("before")).join();
        CountDownLatch locked = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        // another transaction holds the chain's head: the writer's next commit waits for it
        CompletableFuture<Void> holder = CompletableFuture.runAsync(() -> transactions.executeWithoutResult(status -> {
            jdbc.sql("SELECT seq FROM audit_chain_head WHERE chain_id = ? FOR UPDATE").param(writer.chainId())
                    .query(Long.class).single();
            locked.countDown();
            try {
                release.await(60, TimeUnit.SECONDS);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }));
        assertThat(locked.await(30, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<AuditChainStore.Chained> taken = writer.write(record("taken while the head is locked"));
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> jdbc.sql("SELECT count(*) FROM pg_locks "
                + "WHERE NOT granted").query(Long.class).single() > 0);

        assertThatThrownBy(() -> writer.writeWithin(record("given up"), Duration.ofMillis(200)))
                .isInstanceOf(AuditWriter.AuditUnavailable.class).hasMessageContaining("not written within");
        release.countDown();
        holder.get(30, TimeUnit.SECONDS);
        AuditChainStore.Chained committed = taken.get(30, TimeUnit.SECONDS);
        AuditChainStore.Chained next = writer.write(record("after")).get(30, TimeUnit.SECONDS);

        assertThat(next.seq()).isEqualTo(committed.seq() + 1);
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE request_id = 'given up'").query(Long.class).single())
                .isZero();
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
    }

    @Test
    void theGatewayIsNotReadyWhileTheAuditTrailCannotBeWrittenAndReadyOnceItCan() throws Exception {
        assertThat(ready().getContentAsString()).isEqualTo("{\"ready\":true}");
        jdbc.sql("ALTER TABLE audit_chain_head RENAME TO audit_chain_head_away").update();
        try {
            assertThatThrownBy(() -> writer.writeWithin(record("while away"), Duration.ofSeconds(10)))
                    .isInstanceOf(AuditWriter.AuditUnavailable.class);
            MockHttpServletResponse ready = ready();
            assertThat(ready.getStatus()).isEqualTo(503);
            assertThat(ready.getContentAsString()).isEqualTo("{\"ready\":false}");
            assertThat(mvc.perform(get("/actuator/health/readiness")).andReturn().getResponse().getStatus())
                    .isEqualTo(503);
        }
        finally {
            jdbc.sql("ALTER TABLE audit_chain_head_away RENAME TO audit_chain_head").update();
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .untilAsserted(() -> assertThat(ready().getStatus()).isEqualTo(200));
        assertThat(mvc.perform(get("/actuator/health/readiness")).andReturn().getResponse().getStatus()).isEqualTo(200);
        assertThat(writer.writeWithin(record("back"), Duration.ofSeconds(10)).record().requestId()).isEqualTo("back");
    }

    private MockHttpServletResponse ready() throws Exception {
        return mvc.perform(get("/v2/health/ready").with(as("robot"))).andReturn().getResponse();
    }

    private static AuditRecord record(String requestId) {
        return new AuditRecord(Instant.now(), requestId, "robot", "Robot", "inference-client", "inference-client",
                "127.0.0.1", "INFER", "digits", "1.0", "digits-prod", "a".repeat(64), "b".repeat(64), 128L,
                "application/json", "9 (0.98)", "c".repeat(64), 200, Outcome.OK, 1234L, null, null);
    }
}
