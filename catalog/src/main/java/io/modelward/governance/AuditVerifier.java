package io.modelward.governance;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.RowCallbackHandler;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Recomputes every chain of the audit trail from its rows and reports the first broken link: a row whose hash does
 * not match its content, a row whose prev_hash is not the hash before it, a gap in the sequence, or a chain whose
 * newest rows are gone (its head says more). Rows stream through; a year of them never sits in memory.
 */
@Component
public class AuditVerifier {

    private final JdbcTemplate jdbc;

    public AuditVerifier(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    /** Where a chain broke. */
    public record Break(String chainId, long seq, String reason) {
    }

    /** What the check found: rows and chains checked, and the first break, if any. */
    public record Result(long rows, int chains, @Nullable Break firstBreak, List<String> notes) {

        public boolean intact() {
            return firstBreak == null;
        }
    }

    @Transactional(readOnly = true)
    public Result verify() {
        List<String> chainIds = jdbc.queryForList("SELECT chain_id FROM audit_chain_head ORDER BY chain_id", String.class);
        long rows = 0;
        List<String> notes = new ArrayList<>();
        for (String chainId : chainIds) {
            ChainCheck check = new ChainCheck(chainId);
            jdbc.query(connection -> {
                var ps = connection.prepareStatement("SELECT * FROM audit_event WHERE chain_id = ? ORDER BY seq");
                ps.setFetchSize(1000);
                ps.setString(1, chainId);
                return ps;
            }, check);
            rows += check.rows;
            if (check.firstBreak == null) {
                var head = jdbc.queryForMap("SELECT seq, hash FROM audit_chain_head WHERE chain_id = ?", chainId);
                long headSeq = ((Number) head.get("seq")).longValue();
                if (headSeq != check.lastSeq || (headSeq > 0 && !head.get("hash").equals(check.lastHash))) {
                    check.firstBreak = new Break(chainId, check.lastSeq + 1, "rows " + (check.lastSeq + 1) + " to "
                            + headSeq + " are missing: the chain's head records " + headSeq + " rows");
                }
            }
            if (check.startedAfterRetention) {
                notes.add(chainId + " starts at row " + check.firstSeq + ": older rows were removed by retention");
            }
            if (check.firstBreak != null) {
                return new Result(rows, chainIds.size(), check.firstBreak, notes);
            }
        }
        return new Result(rows, chainIds.size(), null, notes);
    }

    private static final class ChainCheck implements RowCallbackHandler {

        final String chainId;
        long rows;
        long firstSeq = -1;
        long lastSeq;
        @Nullable String lastHash;
        boolean startedAfterRetention;
        @Nullable Break firstBreak;

        ChainCheck(String chainId) {
            this.chainId = chainId;
        }

        @Override
        public void processRow(ResultSet rs) throws SQLException {
            if (firstBreak != null) {
                return;
            }
            rows++;
            long seq = rs.getLong("seq");
            String prevHash = rs.getString("prev_hash");
            if (firstSeq < 0) {
                firstSeq = seq;
                if (seq != 1 || !AuditHashing.GENESIS.equals(prevHash)) {
                    startedAfterRetention = true;
                }
            }
            else if (seq != lastSeq + 1) {
                firstBreak = new Break(chainId, lastSeq + 1, "row " + (lastSeq + 1) + " is missing");
                return;
            }
            else if (!prevHash.equals(lastHash)) {
                firstBreak = new Break(chainId, seq, "its prev_hash is not the hash of row " + lastSeq);
                return;
            }
            String expected = AuditHashing.hash(prevHash, chainId, seq, record(rs));
            if (!expected.equals(rs.getString("hash"))) {
                firstBreak = new Break(chainId, seq, "its content does not match its hash: the row was changed");
                return;
            }
            lastSeq = seq;
            lastHash = rs.getString("hash");
        }
    }

    static AuditRecord record(ResultSet rs) throws SQLException {
        String outcome = rs.getString("outcome");
        return new AuditRecord(rs.getTimestamp("at").toInstant(), rs.getString("request_id"),
                rs.getString("actor_subject"), rs.getString("actor_name"), rs.getString("actor_roles"),
                rs.getString("client_id"), rs.getString("source_ip"), rs.getString("action"), rs.getString("model"),
                rs.getString("version"), rs.getString("deployment"), rs.getString("artifact_sha256"),
                rs.getString("input_sha256"), nullableLong(rs, "input_size"), rs.getString("content_type"),
                rs.getString("output_summary"), rs.getString("output_sha256"),
                rs.getObject("http_status") == null ? null : rs.getInt("http_status"),
                outcome == null ? null : Outcome.valueOf(outcome), nullableLong(rs, "latency_micros"),
                rs.getString("purpose"), rs.getString("detail"));
    }

    private static @Nullable Long nullableLong(ResultSet rs, String column) throws SQLException {
        long value = rs.getLong(column);
        return rs.wasNull() ? null : value;
    }
}
