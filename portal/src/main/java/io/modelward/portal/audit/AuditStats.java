package io.modelward.portal.audit;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import io.modelward.governance.Outcome;
import io.modelward.governance.ProblemException;
import org.jspecify.annotations.Nullable;

/**
 * What the charts draw: one count per UTC day for each model and each outcome over a bounded range. The busiest
 * models get their own series and the rest share one, so the legend stays readable whatever the trail holds.
 */
public record AuditStats(LocalDate from, LocalDate to, List<String> days, List<Series> models,
        List<Series> outcomes) {

    /** The longest range the charts cover, and the range they cover when none is given. */
    static final int MAX_DAYS = 366;
    static final int DEFAULT_DAYS = 30;

    /** Models drawn as their own series; the others are summed as {@value #OTHER}. */
    static final int MAX_MODELS = 10;
    static final String OTHER = "other models";
    static final String NO_MODEL = "no model";

    /** One line or bar stack of a chart: its label and a count per day. */
    public record Series(String label, long[] counts) {
    }

    /** The criteria with a time range the charts can draw: the last {@value #DEFAULT_DAYS} days when open. */
    static AuditFilter.Criteria bounded(AuditFilter.Criteria criteria, Instant now) {
        Instant to = criteria.to() != null ? criteria.to()
                : LocalDate.ofInstant(now, ZoneOffset.UTC).plusDays(1).atStartOfDay(ZoneOffset.UTC).toInstant();
        Instant from = criteria.from() != null ? criteria.from() : to.minus(Duration.ofDays(DEFAULT_DAYS));
        if (!from.isBefore(to)) {
            throw ProblemException.invalid("invalid-audit-filter", "from: must be before to");
        }
        if (Duration.between(from, to).compareTo(Duration.ofDays(MAX_DAYS)) > 0) {
            throw ProblemException.invalid("invalid-audit-filter",
                    "from, to: the charts cover at most " + MAX_DAYS + " days; choose a shorter range");
        }
        return new AuditFilter.Criteria(from, to, criteria.user(), criteria.model(), criteria.action(),
                criteria.outcome(), criteria.purpose());
    }

    /** The series over the days of criteria already {@link #bounded bounded}. */
    static AuditStats of(AuditFilter.Criteria bounded, List<AuditQueries.DailyCount> byModel,
            List<AuditQueries.DailyCount> byOutcome) {
        LocalDate first = LocalDate.ofInstant(Objects.requireNonNull(bounded.from(), "from"), ZoneOffset.UTC);
        LocalDate last = LocalDate.ofInstant(Objects.requireNonNull(bounded.to(), "to").minusNanos(1000),
                ZoneOffset.UTC);
        List<String> days = first.datesUntil(last.plusDays(1)).map(LocalDate::toString).toList();
        Map<String, Integer> index = new HashMap<>();
        for (int i = 0; i < days.size(); i++) {
            index.put(days.get(i), i);
        }
        return new AuditStats(first, last, days, modelSeries(byModel, index), outcomeSeries(byOutcome, index));
    }

    private static List<Series> modelSeries(List<AuditQueries.DailyCount> counts, Map<String, Integer> index) {
        Map<String, Long> totals = new HashMap<>();
        counts.forEach(c -> totals.merge(label(c.key()), c.count(), Long::sum));
        List<String> busiest = totals.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_MODELS).map(Map.Entry::getKey).sorted(Comparator.naturalOrder()).toList();
        Map<String, long[]> series = new LinkedHashMap<>();
        busiest.forEach(model -> series.put(model, new long[index.size()]));
        for (AuditQueries.DailyCount c : counts) {
            String label = label(c.key());
            long[] target = series.computeIfAbsent(busiest.contains(label) ? label : OTHER,
                    k -> new long[index.size()]);
            add(target, index, c);
        }
        return toSeries(series);
    }

    private static List<Series> outcomeSeries(List<AuditQueries.DailyCount> counts, Map<String, Integer> index) {
        Map<String, long[]> series = new LinkedHashMap<>();
        for (Outcome outcome : Outcome.values()) {
            series.put(outcome.name(), new long[index.size()]);
        }
        for (AuditQueries.DailyCount c : counts) {
            add(series.computeIfAbsent(c.key() == null ? "NONE" : c.key(), k -> new long[index.size()]), index, c);
        }
        return toSeries(series);
    }

    private static void add(long[] target, Map<String, Integer> index, AuditQueries.DailyCount count) {
        Integer day = index.get(count.day());
        if (day != null) {
            target[day] += count.count();
        }
    }

    private static List<Series> toSeries(Map<String, long[]> series) {
        List<Series> list = new ArrayList<>(series.size());
        series.forEach((label, counts) -> list.add(new Series(label, counts)));
        return list;
    }

    private static String label(@Nullable String model) {
        return model == null ? NO_MODEL : model;
    }
}
