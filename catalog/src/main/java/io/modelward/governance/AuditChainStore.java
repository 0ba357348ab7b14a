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
import org.springframework.transaction.IllegalTransactionStateException;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Appends rows to a chain of {@code audit_event}, in the caller's transaction: it locks the chain's head row, so
 * writers of one chain append one after the other whatever process they run in, hashes each row onto the one before,
 * inserts them in one batch and moves the head. If the transaction rolls back, the rows and the head move go with it.
 * A writer that keeps the head its last commit left (the gateway's) appends with a conditional move of the head
 * instead of the lock and read (one self-committing statement for a small batch), and falls back to the lock when
 * another writer got there first.
 */
@Component
public class AuditChainStore {

    private static final String INSERT = """
            INSERT INTO audit_event (chain_id, seq, at, request_id, actor_subject, actor_name, actor_roles, client_id,
                source_ip, action, model, version, deployment, artifact_sha256, input_sha256, input_size, content_type,
                output_summary, output_sha256, http_status, outcome, latency_micros, purpose, detail, prev_hash, hash)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""";

    private static final String LOCK_HEAD = """
            INSERT INTO audit_chain_head (chain_id, seq, hash) VALUES (?, 0, ?)
            ON CONFLICT (chain_id) DO UPDATE SET chain_id = EXCLUDED.chain_id
            RETURNING seq, hash""";

    /** Batches from this size go through COPY. */
    public static final int COPY_FROM = 16;

    private final JdbcTemplate jdbc;

    public AuditChainStore(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** A row as it joined its chain. */
    public record Chained(String chainId, long seq, String prevHash, String hash, AuditRecord record) {
    }

    /** Where a chain ends: the last row's sequence number and hash ({@code 0} and the genesis hash when empty). */
    public record Head(long seq, String hash) {

        /** The head after these rows, the last of which ends the chain. */
        public static Head after(List<Chained> rows) {
            Chained last = rows.getLast();
            return new Head(last.seq(), last.hash());
        }
    }

    /** The chain moved on since its head was last seen: another writer appended to it. Nothing was written. */
    public static final class ChainMoved extends RuntimeException {

        ChainMoved(String chainId, Head expected) {
            super("audit chain " + chainId + " no longer ends at " + expected.seq());
        }
    }

    /** Appends after the chain's current head, which it locks (and creates on a chain's first row). */
    public List<Chained> append(String chainId, List<AuditRecord> records) {
        requireTransaction();
        if (records.isEmpty()) {
            return List.of();
        }
        // one round trip: creates the chain's head on first use, locks its row either way, and reads it
        Head head = jdbc.queryForObject(LOCK_HEAD, (rs, n) -> new Head(rs.getLong("seq"), rs.getString("hash")),
                chainId, AuditHashing.GENESIS);
        List<Chained> rows = chain(chainId, head, records);
        insert(rows);
        jdbc.update("UPDATE audit_chain_head SET seq = ?, hash = ?, updated_at = now() WHERE chain_id = ?",
                rows.getLast().seq(), rows.getLast().hash(), chainId);
        return rows;
    }

    /**
     * Appends after the head a writer's own last commit left, for a writer that is normally the only one appending
     * to its chain: moving the head only if it is still where it was replaces locking and reading it. Throws
     * {@link ChainMoved}, having written nothing, when another writer has appended in between; the caller then
     * appends with {@link #append}. Fewer than {@value #COPY_FROM} rows take one statement, which moves the head and
     * inserts the rows only if the head moved: atomic on its own, so it may run without a transaction, and then it is
     * one round trip, committed when it returns. More rows need the caller's transaction.
     */
    public List<Chained> appendAfter(String chainId, Head known, List<AuditRecord> records) {
        if (records.isEmpty()) {
            return List.of();
        }
        List<Chained> rows = chain(chainId, known, records);
        if (rows.size() < COPY_FROM) {
            if (appendInOneStatement(chainId, known, rows) != rows.size()) {
                throw new ChainMoved(chainId, known);
            }
            return rows;
        }
        requireTransaction();
        // first, so that a second writer of the chain waits here rather than on the rows' keys
        int moved = jdbc.update("UPDATE audit_chain_head SET seq = ?, hash = ?, updated_at = now() WHERE chain_id = ? "
                + "AND seq = ? AND hash = ?", rows.getLast().seq(), rows.getLast().hash(), chainId, known.seq(),
                known.hash());
        if (moved != 1) {
            throw new ChainMoved(chainId, known);
        }
        insert(rows);
        return rows;
    }

    /** The rows inserted: all of them, or none when the head was no longer {@code known}. */
    private int appendInOneStatement(String chainId, Head known, List<Chained> rows) {
        Integer inserted = jdbc.execute((java.sql.Connection connection) -> {
            try (PreparedStatement ps = connection.prepareStatement(MOVE_AND_INSERT[rows.size()])) {
                ps.setLong(1, rows.getLast().seq());
                ps.setString(2, rows.getLast().hash());
                ps.setString(3, chainId);
                ps.setLong(4, known.seq());
                ps.setString(5, known.hash());
                int next = 6;
                for (Chained row : rows) {
                    next = bind(ps, row, next);
                }
                int count = ps.executeUpdate();
                if (!TransactionSynchronizationManager.isActualTransactionActive() && !connection.getAutoCommit()) {
                    // a pool that hands out connections without auto-commit: the rows must be durable on return
                    connection.commit();
                }
                return count;
            }
        });
        return inserted == null ? 0 : inserted;
    }

    /** The column types of {@link #INSERT}, in order, for the typed rows of {@link #MOVE_AND_INSERT}. */
    private static final String[] COLUMN_TYPES = { "varchar", "bigint", "timestamptz", "varchar", "varchar", "varchar",
        "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "varchar", "bigint",
        "varchar", "varchar", "varchar", "integer", "varchar", "bigint", "varchar", "varchar", "varchar", "varchar" };

    /** By row count: move the head if it is where it was, and insert the rows only if it moved. */
    private static final String[] MOVE_AND_INSERT = new String[COPY_FROM];

    static {
        StringBuilder row = new StringBuilder("(");
        for (int i = 0; i < COLUMN_TYPES.length; i++) {
            row.append(i == 0 ? "" : ", ").append("?::").append(COLUMN_TYPES[i]);
        }
        row.append(')');
        String columns = INSERT.substring(INSERT.indexOf('(') + 1, INSERT.indexOf(')'));
        for (int n = 1; n < COPY_FROM; n++) {
            MOVE_AND_INSERT[n] = "WITH moved AS (UPDATE audit_chain_head SET seq = ?, hash = ?, updated_at = now() "
                    + "WHERE chain_id = ? AND seq = ? AND hash = ? RETURNING chain_id) "
                    + "INSERT INTO audit_event (" + columns + ") SELECT v.* FROM moved CROSS JOIN (VALUES "
                    + String.join(", ", java.util.Collections.nCopies(n, row)) + ") AS v";
        }
    }

    /**
     * Rows and head move together or not at all, so both ways of appending run in the caller's transaction, of
     * whichever transaction manager (JPA for governance actions, plain JDBC for the gateway's writer).
     */
    private static void requireTransaction() {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalTransactionStateException("Audit rows are appended in the caller's transaction, and there "
                    + "is none");
        }
    }

    private static List<Chained> chain(String chainId, Head head, List<AuditRecord> records) {
        List<Chained> rows = new ArrayList<>(records.size());
        long seq = head.seq();
        String prev = head.hash();
        for (AuditRecord record : records) {
            seq++;
            String hash = AuditHashing.hash(prev, chainId, seq, record);
            rows.add(new Chained(chainId, seq, prev, hash, record));
            prev = hash;
        }
        return rows;
    }

    private void insert(List<Chained> rows) {
        if (rows.size() >= COPY_FROM && copy(rows)) {
            // many rows: PostgreSQL's COPY writes them several times faster than a batch of inserts
        }
        else {
            jdbc.batchUpdate(INSERT, rows, rows.size(), AuditChainStore::bind);
        }
    }

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
        bind(ps, row, 1);
    }

    /** Binds a row's 26 values from parameter {@code first} on; returns the index after them. */
    private static int bind(PreparedStatement ps, Chained row, int first) throws SQLException {
        AuditRecord r = row.record();
        int i = first;
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
        ps.setString(i++, row.hash());
        return i;
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
