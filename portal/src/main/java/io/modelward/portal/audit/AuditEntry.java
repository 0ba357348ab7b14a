package io.modelward.portal.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import io.modelward.governance.Outcome;
import org.jspecify.annotations.Nullable;

/**
 * One row of the audit trail as auditors read it: every column of {@code audit_event}, its place in its chain, and
 * the hashes that link it to the row before.
 */
public record AuditEntry(String chainId, long seq, Instant at, @Nullable String requestId, String actorSubject,
        @Nullable String actorName, @Nullable String actorRoles, @Nullable String clientId, @Nullable String sourceIp,
        String action, @Nullable String model, @Nullable String version, @Nullable String deployment,
        @Nullable String artifactSha256, @Nullable String inputSha256, @Nullable Long inputSize,
        @Nullable String contentType, @Nullable String outputSummary, @Nullable String outputSha256,
        @Nullable Integer httpStatus, @Nullable Outcome outcome, @Nullable Long latencyMicros, @Nullable String purpose,
        @Nullable String detail, String prevHash, String hash) {

    /** The action of an inference request, as the gateway writes it. */
    public static final String INFER = "INFER";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss")
            .withZone(ZoneOffset.UTC);

    /** When, to the second in UTC, for tables. */
    public String time() {
        return TIME.format(at);
    }

    /** The person or program: the name where there is one, else the subject. */
    public String who() {
        return actorName != null ? actorName : actorSubject;
    }

    /** Model and version, as far as the row names them, or empty. */
    public String modelVersion() {
        if (model == null) {
            return "";
        }
        return version == null ? model : model + " " + version;
    }

    static AuditEntry map(ResultSet rs, int row) throws SQLException {
        String outcome = rs.getString("outcome");
        return new AuditEntry(rs.getString("chain_id"), rs.getLong("seq"), rs.getTimestamp("at").toInstant(),
                rs.getString("request_id"), rs.getString("actor_subject"), rs.getString("actor_name"),
                rs.getString("actor_roles"), rs.getString("client_id"), rs.getString("source_ip"),
                rs.getString("action"), rs.getString("model"), rs.getString("version"), rs.getString("deployment"),
                rs.getString("artifact_sha256"), rs.getString("input_sha256"), nullableLong(rs, "input_size"),
                rs.getString("content_type"), rs.getString("output_summary"), rs.getString("output_sha256"),
                rs.getObject("http_status", Integer.class), outcome == null ? null : Outcome.valueOf(outcome),
                nullableLong(rs, "latency_micros"), rs.getString("purpose"), rs.getString("detail"),
                rs.getString("prev_hash"), rs.getString("hash"));
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        return rs.getObject(column, Long.class);
    }
}
