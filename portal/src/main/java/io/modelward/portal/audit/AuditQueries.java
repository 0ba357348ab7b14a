package io.modelward.portal.audit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import javax.sql.DataSource;

import io.modelward.governance.Outcome;
import org.jspecify.annotations.Nullable;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.transaction.annotation.Transactional;

/**
 * Reads the audit trail for auditors: a filtered page of rows (newest first), one row by its place in its chain,
 * totals by outcome, daily counts for charts, and a stream of every matching row for exports. The filters become a
 * WHERE clause of fixed fragments whose values are bind parameters only; the stream reads through a cursor inside a
 * read-only transaction, so an export of a year of requests never sits in memory.
 */
@Component
public class AuditQueries {

    /** Rows per page unless asked otherwise, and the most a page may hold. */
    public static final int PAGE_SIZE = 50;
    public static final int MAX_PAGE_SIZE = 500;

    private static final int FETCH_SIZE = 500;
    private static final String ORDER = " ORDER BY at DESC, chain_id, seq DESC";

    private final JdbcClient jdbc;
    private final JdbcClient cursor;

    AuditQueries(DataSource dataSource) {
        this.jdbc = JdbcClient.create(dataSource);
        JdbcTemplate streaming = new JdbcTemplate(dataSource);
        streaming.setFetchSize(FETCH_SIZE);
        this.cursor = JdbcClient.create(streaming);
    }

    /** A page of rows, with the page's place and the totals of everything the filters match. */
    public record Page(List<AuditEntry> rows, int page, int size, Totals totals) {

        public long total() {
            return totals.total();
        }

        public int pages() {
            return (int) Math.max(1, (total() + size - 1) / size);
        }

        public boolean hasNext() {
            return (long) (page + 1) * size < total();
        }

        /** The 1-based number of the first row shown, 0 on an empty page. */
        public long firstRow() {
            return rows.isEmpty() ? 0 : (long) page * size + 1;
        }

        public long lastRow() {
            return (long) page * size + rows.size();
        }
    }

    /** How many rows matched, per outcome; rows without one (none are written so today) count under {@code none}. */
    public record Totals(Map<Outcome, Long> byOutcome, long none) {

        public long total() {
            return none + byOutcome.values().stream().mapToLong(Long::longValue).sum();
        }

        public long of(Outcome outcome) {
            return byOutcome.getOrDefault(outcome, 0L);
        }
    }

    /** Receives streamed rows; may write them out. */
    @FunctionalInterface
    public interface RowSink {

        void accept(AuditEntry row) throws IOException;
    }

    /** Clamps a requested page size to 1..{@value #MAX_PAGE_SIZE}. */
    public static int pageSize(@Nullable Integer requested) {
        return requested == null ? PAGE_SIZE : Math.clamp(requested, 1, MAX_PAGE_SIZE);
    }

    @Transactional(readOnly = true)
    public Page search(AuditFilter.Criteria criteria, int page, int size) {
        if (page < 0) {
            throw new IllegalArgumentException("page must not be negative");
        }
        Where where = Where.of(criteria);
        List<AuditEntry> rows = where.bind(jdbc.sql("SELECT * FROM audit_event" + where.sql + ORDER
                + " LIMIT :limit OFFSET :offset")).param("limit", size).param("offset", (long) page * size)
                .query(AuditEntry::map).list();
        return new Page(rows, page, size, totals(criteria));
    }

    @Transactional(readOnly = true)
    public Totals totals(AuditFilter.Criteria criteria) {
        Where where = Where.of(criteria);
        Map<Outcome, Long> byOutcome = new EnumMap<>(Outcome.class);
        long[] none = { 0 };
        where.bind(jdbc.sql("SELECT outcome, count(*) AS n FROM audit_event" + where.sql + " GROUP BY outcome"))
                .query(rs -> {
                    String outcome = rs.getString("outcome");
                    if (outcome == null) {
                        none[0] = rs.getLong("n");
                    }
                    else {
                        byOutcome.put(Outcome.valueOf(outcome), rs.getLong("n"));
                    }
                });
        return new Totals(byOutcome, none[0]);
    }

    @Transactional(readOnly = true)
    public Optional<AuditEntry> event(String chainId, long seq) {
        return jdbc.sql("SELECT * FROM audit_event WHERE chain_id = :chain AND seq = :seq ORDER BY at LIMIT 1")
                .param("chain", chainId).param("seq", seq).query(AuditEntry::map).optional();
    }

    /** One count per UTC day and key (a model, or an outcome), for the charts. */
    public record DailyCount(String day, @Nullable String key, long count) {
    }

    @Transactional(readOnly = true)
    public List<DailyCount> dailyByModel(AuditFilter.Criteria criteria) {
        return daily(criteria, "model");
    }

    @Transactional(readOnly = true)
    public List<DailyCount> dailyByOutcome(AuditFilter.Criteria criteria) {
        return daily(criteria, "outcome");
    }

    private List<DailyCount> daily(AuditFilter.Criteria criteria, String column) {
        Where where = Where.of(criteria);
        String sql = "SELECT to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS day, " + column + " AS key, count(*) AS n "
                + "FROM audit_event" + where.sql + " GROUP BY 1, 2 ORDER BY 1, 2";
        return where.bind(jdbc.sql(sql))
                .query((rs, n) -> new DailyCount(rs.getString("day"), rs.getString("key"), rs.getLong("n"))).list();
    }

    /**
     * Hands every matching row, newest first and at most {@code limit} of them, to the sink as the database returns
     * them. The transaction keeps the cursor open while the sink writes.
     */
    @Transactional(readOnly = true)
    public void stream(AuditFilter.Criteria criteria, long limit, RowSink sink) {
        Where where = Where.of(criteria);
        where.bind(cursor.sql("SELECT * FROM audit_event" + where.sql + ORDER + " LIMIT :limit"))
                .param("limit", limit).query(rs -> {
                    try {
                        sink.accept(AuditEntry.map(rs, rs.getRow()));
                    }
                    catch (IOException ex) {
                        throw new UncheckedIOException(ex);
                    }
                });
    }

    /** The WHERE clause of a search: fixed SQL fragments, and the values to bind to their named parameters. */
    private record Where(String sql, Map<String, Object> params) {

        static Where of(AuditFilter.Criteria c) {
            List<String> conditions = new ArrayList<>();
            Map<String, Object> params = new HashMap<>();
            condition(conditions, params, "at >= :from", "from", timestamp(c.from()));
            condition(conditions, params, "at < :to", "to", timestamp(c.to()));
            condition(conditions, params, "(actor_subject ILIKE :user OR actor_name ILIKE :user)", "user",
                    contains(c.user()));
            condition(conditions, params, "model = :model", "model", c.model());
            condition(conditions, params, "action = :action", "action", c.action());
            condition(conditions, params, "outcome = :outcome", "outcome",
                    c.outcome() == null ? null : c.outcome().name());
            condition(conditions, params, "purpose ILIKE :purpose", "purpose", contains(c.purpose()));
            String sql = conditions.isEmpty() ? "" : " WHERE " + String.join(" AND ", conditions);
            return new Where(sql, params);
        }

        JdbcClient.StatementSpec bind(JdbcClient.StatementSpec statement) {
            return statement.params(params);
        }

        private static void condition(List<String> conditions, Map<String, Object> params, String sql, String name,
                @Nullable Object value) {
            if (value != null) {
                conditions.add(sql);
                params.put(name, value);
            }
        }

        private static @Nullable Timestamp timestamp(@Nullable Instant at) {
            return at == null ? null : Timestamp.from(at);
        }

        /** A LIKE pattern for text anywhere, with the user's own %, _ and \ taken literally. */
        private static @Nullable String contains(@Nullable String text) {
            return text == null ? null : "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
        }
    }
}
