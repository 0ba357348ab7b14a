package io.modelward.governance;

import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

/**
 * Appends rows to a chain of {@code audit_event}, in the caller's transaction: it locks the chain's head row, so
 * writers of one chain append one after the other whatever process they run in, hashes each row onto the one before,
 * inserts them in one batch and moves the head. If the transaction rolls back, the rows and the head move go with it.
 */
@Component
public class AuditChainStore {

    private static final String INSERT = """
            INSERT INTO audit_event (chain_id, seq, at, request_id, actor_subject, actor_name, actor_roles, client_id,
                source_ip, action, model, version, deployment, artifact_sha256, input_sha256, input_size, content_type,
                output_summary, output_sha256, http_status, outcome, latency_micros, purpose, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private final JdbcTemplate jdbc;

    public AuditChainStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A row as it joined its chain. */
    public record Chained(String chainId, long seq, String prevHash, String hash, AuditRecord record) {
    }

    @Transactional(propagation = Propagation.MANDATORY)
    public List<Chained> append(String chainId, List<AuditRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        jdbc.update("INSERT INTO audit_chain_head (chain_id, seq, hash) VALUES (?, 0, ?) ON CONFLICT DO NOTHING",
                chainId, AuditHashing.GENESIS);
        Head head = jdbc.queryForObject("SELECT seq, hash FROM audit_chain_head WHERE chain_id = ? FOR UPDATE",
                (rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash")), chainId);
        List<Chained> rows = new ArrayList<>(records.size());
        long seq = head.seq();
        String prev = head.hash();
        for (AuditRecord record : records) {
            seq++;
            String hash = AuditHashing.hash(prev, chainId, seq, record);
            rows.add(new Chained(chainId, seq, prev, hash, record));
            prev = hash;
        }
        if (rows.size() >= COPY_FROM && copy(rows)) {
            // many rows: PostgreSQL's COPY writes them several times faster than a batch of inserts
        }
        else {
            jdbc.batchUpdate(INSERT, rows, rows.size(), AuditChainStore::bind);
        }
        jdbc.update("UPDATE audit_chain_head SET seq = ?, hash = ?, updated_at = now() WHERE chain_id = ?", seq, prev,
                chainId);
        return rows;
    }

    private record Head(long seq, String hash) {
    }

    /** Batches from this size go through COPY. */
    static final int COPY_FROM = 16;

    private static final String COPY = "COPY audit_event (chain_id, seq, at, request_id, actor_subject, actor_name, "
            + "actor_roles, client_id, source_ip, action, model, version, deployment, artifact_sha256, input_sha256, "
            + "input_size, content_type, output_summary, output_sha256, http_status, outcome, latency_micros, purpose, "
            + "detail, prev_hash, hash) FROM STDIN (FORMAT csv)";

    /** Writes the rows with COPY on the transaction's connection; false when the driver is not PostgreSQL's. */
    private boolean copy(List<Chained> rows) {
        return Boolean.TRUE.equals(jdbc.execute((java.sql.Connection connection) -> {
            if (!connection.isWrapperFor(org.postgresql.PGConnection.class)) {
                return false;
            }
            StringBuilder csv = new StringBuilder(rows.size() * 600);
            for (Chained row : rows) {
                csvRow(csv, row);
            }
            try {
                new org.postgresql.copy.CopyManager(connection.unwrap(org.postgresql.core.BaseConnection.class))
                        .copyIn(COPY, new java.io.StringReader(csv.toString()));
            }
            catch (java.io.IOException ex) {
                throw new SQLException("COPY into audit_event failed", ex);
            }
            return true;
        }));
    }

    private static void csvRow(StringBuilder csv, Chained row) {
        AuditRecord r = row.record();
        Object[] values = { row.chainId(), row.seq(), r.at().toString(), r.requestId(), r.actorSubject(), r.actorName(),
                r.actorRoles(), r.clientId(), r.sourceIp(), r.action(), r.model(), r.version(), r.deployment(),
                r.artifactSha256(), r.inputSha256(), r.inputSize(), r.contentType(), r.outputSummary(),
                r.outputSha256(), r.httpStatus(), r.outcome() == null ? null : r.outcome().name(), r.latencyMicros(),
                r.purpose(), r.detail(), row.prevHash(), row.hash() };
        for (int i = 0; i < values.length; i++) {
            if (i > 0) {
                csv.append(',');
            }
            if (values[i] != null) {
                // quoted, with quotes doubled: an empty string stays an empty string, and an unquoted nothing is NULL
                csv.append('"').append(values[i].toString().replace("\"", "\"\"")).append('"');
            }
        }
        csv.append('\n');
    }

    private static void bind(PreparedStatement ps, Chained row) throws SQLException {
        AuditRecord r = row.record();
        int i = 1;
        ps.setString(i++, row.chainId());
        ps.setLong(i++, row.seq());
        ps.setTimestamp(i++, Timestamp.from(r.at()));
        ps.setString(i++, r.requestId());
        ps.setString(i++, r.actorSubject());
        ps.setString(i++, r.actorName());
        ps.setString(i++, r.actorRoles());
        ps.setString(i++, r.clientId());
        ps.setString(i++, r.sourceIp());
        ps.setString(i++, r.action());
        ps.setString(i++, r.model());
        ps.setString(i++, r.version());
        ps.setString(i++, r.deployment());
        ps.setString(i++, r.artifactSha256());
        ps.setString(i++, r.inputSha256());
        setLong(ps, i++, r.inputSize());
        ps.setString(i++, r.contentType());
        ps.setString(i++, r.outputSummary());
        ps.setString(i++, r.outputSha256());
        setLong(ps, i++, r.httpStatus() == null ? null : r.httpStatus().longValue());
        ps.setString(i++, r.outcome() == null ? null : r.outcome().name());
        setLong(ps, i++, r.latencyMicros());
        ps.setString(i++, r.purpose());
        ps.setString(i++, r.detail());
        ps.setString(i++, row.prevHash());
        ps.setString(i, row.hash());
    }

    private static void setLong(PreparedStatement ps, int index, @Nullable Long value) throws SQLException {
        if (value == null) {
            ps.setNull(index, Types.BIGINT);
        }
        else {
            ps.setLong(index, value);
        }
    }
}
