package io.modelward.portal.gateway;

import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Whether the portal can take inference requests: only while its audit trail can be written. The newest word wins:
 * the audit writer's last commit, or this class's own check of the audit tables. A word younger than a second is
 * reused, so probes cost the database at most one query a second (none while requests are being audited); while one
 * probe checks, the others answer with the last word. It is the gateway's {@code /v2/health/ready} and the
 * {@code audit} health indicator of {@code /actuator/health/readiness}.
 */
@Component("auditHealthIndicator")
public class AuditReadiness implements HealthIndicator {

    private static final Logger log = LoggerFactory.getLogger(AuditReadiness.class);
    private static final long FRESH_NANOS = 1_000_000_000L;

    private final AuditWriter writer;
    private final JdbcTemplate jdbc;
    private final AtomicBoolean checking = new AtomicBoolean();
    private volatile @Nullable Verdict lastCheck;
    private volatile boolean wasReady = true;

    AuditReadiness(AuditWriter writer, JdbcTemplate jdbc) {
        this.writer = writer;
        this.jdbc = jdbc;
    }

    /** An outcome and when the attempt that led to it started ({@link System#nanoTime()}). */
    public record Verdict(boolean ok, long at, @Nullable String problem) {

        static Verdict ok(long at) {
            return new Verdict(true, at, null);
        }

        static Verdict failed(long at, String problem) {
            return new Verdict(false, at, problem);
        }
    }

    public boolean ready() {
        return verdict().ok();
    }

    /** Checks the audit tables now, whatever the last word: for deciding why something just failed. */
    public boolean readyNow() {
        Verdict check = check();
        lastCheck = check;
        return check.ok() && writer.isRunning();
    }

    @Override
    public Health health() {
        Verdict verdict = verdict();
        return verdict.ok() ? Health.up().build()
                : Health.outOfService().withDetail("reason", "The audit trail cannot be written.").build();
    }

    private Verdict verdict() {
        if (!writer.isRunning()) {
            return Verdict.failed(System.nanoTime(), "The audit writer is not running.");
        }
        Verdict newest = newest();
        if ((newest == null || System.nanoTime() - newest.at() >= FRESH_NANOS) && checking.compareAndSet(false, true)) {
            try {
                lastCheck = check();
            }
            finally {
                checking.set(false);
            }
            newest = newest();
        }
        Verdict verdict = newest != null ? newest : Verdict.failed(System.nanoTime(), "Not checked yet.");
        if (verdict.ok() != wasReady) {
            wasReady = verdict.ok();
            if (verdict.ok()) {
                log.info("Ready again: the audit trail can be written");
            }
            else {
                log.warn("Not ready: the audit trail cannot be written ({})", verdict.problem());
            }
        }
        return verdict;
    }

    private @Nullable Verdict newest() {
        Verdict commit = writer.lastCommit();
        Verdict check = lastCheck;
        if (commit == null || check == null) {
            return commit != null ? commit : check;
        }
        return commit.at() - check.at() > 0 ? commit : check;
    }

    /** The audit chain's head table answers: the database is reachable and holds the trail. */
    private Verdict check() {
        long started = System.nanoTime();
        try {
            jdbc.queryForObject("SELECT count(*) FROM audit_chain_head WHERE chain_id = ?", Long.class,
                    writer.chainId());
            return Verdict.ok(started);
        }
        catch (DataAccessException ex) {
            return Verdict.failed(started, ex.getMostSpecificCause().toString());
        }
    }
}
