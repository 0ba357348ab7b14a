import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.LongAdder;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modelward.governance.AuditChainStore;
import io.modelward.governance.AuditRecord;
import io.modelward.governance.AuditVerifier;
import io.modelward.governance.Outcome;
import io.modelward.portal.gateway.AuditWriter;
import io.modelward.portal.gateway.GatewayProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.flywaydb.core.Flyway;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.util.unit.DataSize;

/**
 * The audit writer alone: durable, hash-chained rows per second into a real PostgreSQL 17 (embedded, fsync on), with
 * CALLERS threads each writing one record at a time and waiting for its commit, as gateway requests do.
 * Usage (see run.sh): java -cp <portal classpath> AuditWriterThroughput.java CALLERS SECONDS
 */
public class AuditWriterThroughput {

    public static void main(String[] args) throws Exception {
        int callers = Integer.parseInt(args[0]);
        int seconds = Integer.parseInt(args[1]);
        try (EmbeddedPostgres postgres = EmbeddedPostgres.builder().setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", "on").setServerConfig("full_page_writes", "on").start()) {
            // as the portal connects: the driver rewrites a batch of inserts into multi-row statements
            HikariConfig pooled = new HikariConfig();
            pooled.setDataSource(postgres.getDatabase("postgres", "postgres", java.util.Map.of("reWriteBatchedInserts", "true")));
            pooled.setMaximumPoolSize(4);
            // pooled, as in the portal: a connection per transaction would cost more than the commit
            HikariDataSource data = new HikariDataSource(pooled);
            Flyway.configure().dataSource(data).locations("filesystem:db/migrations").load().migrate();
            JdbcTemplate jdbc = new JdbcTemplate(data);
            System.out.println("fsync=" + jdbc.queryForObject("SHOW fsync", String.class) + ", synchronous_commit="
                    + jdbc.queryForObject("SHOW synchronous_commit", String.class));
            AuditWriter writer = new AuditWriter(new AuditChainStore(jdbc), data,
                    new GatewayProperties(Duration.ofSeconds(30), Duration.ofSeconds(60), DataSize.ofMegabytes(64),
                            DataSize.ofMegabytes(64), new GatewayProperties.Audit("bench", 10_000, 500,
                                    Duration.ZERO)));
            writer.start();
            for (int round = 0; round < 2; round++) {
                String label = round == 0 ? "warm-up" : "measured";
                LongAdder written = new LongAdder();
                long end = System.nanoTime() + Duration.ofSeconds(round == 0 ? 3 : seconds).toNanos();
                long started = System.nanoTime();
                try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
                    List<CompletableFuture<Void>> all = new ArrayList<>();
                    for (int c = 0; c < callers; c++) {
                        all.add(CompletableFuture.runAsync(() -> {
                            while (System.nanoTime() < end) {
                                writer.write(record()).join();
                                written.increment();
                            }
                        }, pool));
                    }
                    CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).join();
                }
                double secs = (System.nanoTime() - started) / 1e9;
                System.out.printf("%s: %d callers, %d rows in %.1f s = %.0f durable rows/s%n", label, callers,
                        written.sum(), secs, written.sum() / secs);
            }
            writer.stop();
            var result = new AuditVerifier(jdbc).verify();
            System.out.printf("chain check: %s over %d rows%n", result.intact() ? "intact" : result.firstBreak(),
                    result.rows());
            data.close();
        }
    }

    private static AuditRecord record() {
        return new AuditRecord(Instant.now(), java.util.UUID.randomUUID().toString(), "service-account-inference-client",
                "Inference client", "inference-client", "inference-client", "10.0.0.7", "INFER", "digits-cnn", "1.0",
                "digits-prod", "a".repeat(64), "b".repeat(64), 2048L, "application/json",
                "output0 [1,10] FP32 argmax 9 (11.6098)", "c".repeat(64), 200, Outcome.OK, 2300L, "TREAT", null);
    }
}
