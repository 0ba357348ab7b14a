package io.modelward.portal.audit;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

import io.modelward.governance.Outcome;
import io.modelward.governance.ProblemException;
import org.jspecify.annotations.Nullable;

/**
 * The filters of an audit search as typed, echoed back into the form and the export links, and checked once into
 * {@link Criteria}: every value is bounded in length and parsed before it reaches SQL, where it is only ever a bind
 * parameter. Dates are UTC days; {@code to} as a date includes that whole day, as an ISO-8601 time it is exclusive.
 */
public record AuditFilter(@Nullable String from, @Nullable String to, @Nullable String user, @Nullable String model,
        @Nullable String action, @Nullable String outcome, @Nullable String purpose) {

    private static final int MAX_TIME = 40;
    private static final int MAX_TEXT = 200;
    private static final int MAX_MODEL = 63;
    private static final Pattern ACTION = Pattern.compile("[A-Z][A-Z0-9_]{0,39}");

    public AuditFilter {
        from = trim(from);
        to = trim(to);
        user = trim(user);
        model = trim(model);
        action = trim(action);
        outcome = trim(outcome);
        purpose = trim(purpose);
    }

    /** The checked filters: a time range [from, to), text to look for, exact model, action and outcome. */
    public record Criteria(@Nullable Instant from, @Nullable Instant to, @Nullable String user, @Nullable String model,
            @Nullable String action, @Nullable Outcome outcome, @Nullable String purpose) {
    }

    /** Checks every filter and reports all problems at once as a 400 problem. */
    public Criteria criteria() {
        List<String> problems = new ArrayList<>();
        Instant start = time("from", from, false, problems);
        Instant end = time("to", to, true, problems);
        if (start != null && end != null && !start.isBefore(end)) {
            problems.add("from: must be before to");
        }
        bounded("user", user, MAX_TEXT, problems);
        bounded("model", model, MAX_MODEL, problems);
        bounded("purpose", purpose, MAX_TEXT, problems);
        String act = action == null ? null : action.toUpperCase(Locale.ROOT);
        if (act != null && !ACTION.matcher(act).matches()) {
            problems.add("action: '" + shown(action) + "' is not an action name such as INFER or VERSION_APPROVED");
        }
        Outcome result = null;
        if (outcome != null) {
            try {
                result = Outcome.valueOf(outcome.toUpperCase(Locale.ROOT));
            }
            catch (IllegalArgumentException ex) {
                problems.add("outcome: '" + shown(outcome) + "' is not one of " + Arrays.toString(Outcome.values()));
            }
        }
        if (!problems.isEmpty()) {
            throw ProblemException.invalid("invalid-audit-filter", String.join("; ", problems));
        }
        return new Criteria(start, end, user, model, act, result, purpose);
    }

    /** The filters as a URL query string (form-encoded, without {@code ?}), for paging and export links. */
    public String query() {
        List<String> parts = new ArrayList<>();
        add(parts, "from", from);
        add(parts, "to", to);
        add(parts, "user", user);
        add(parts, "model", model);
        add(parts, "action", action);
        add(parts, "outcome", outcome);
        add(parts, "purpose", purpose);
        return String.join("&", parts);
    }

    /** The filters in words, for the audit record of an export and the PDF report. */
    public String describe() {
        List<String> parts = new ArrayList<>();
        describe(parts, "from", from);
        describe(parts, "to", to);
        describe(parts, "user", user);
        describe(parts, "model", model);
        describe(parts, "action", action);
        describe(parts, "outcome", outcome);
        describe(parts, "purpose", purpose);
        return parts.isEmpty() ? "none (all events)" : String.join(", ", parts);
    }

    private static @Nullable Instant time(String name, @Nullable String text, boolean endOfDay, List<String> problems) {
        if (text == null) {
            return null;
        }
        if (text.length() > MAX_TIME) {
            problems.add(name + ": at most " + MAX_TIME + " characters");
            return null;
        }
        try {
            if (text.length() == 10) {
                LocalDate day = LocalDate.parse(text);
                return (endOfDay ? day.plusDays(1) : day).atStartOfDay(ZoneOffset.UTC).toInstant();
            }
            return OffsetDateTime.parse(text).toInstant();
        }
        catch (DateTimeParseException ex) {
            problems.add(name + ": '" + shown(text) + "' is not a date (2026-03-01) or an ISO-8601 time with an "
                    + "offset (2026-03-01T08:00:00Z)");
            return null;
        }
    }

    private static void bounded(String name, @Nullable String text, int max, List<String> problems) {
        if (text != null && text.length() > max) {
            problems.add(name + ": at most " + max + " characters");
        }
    }

    private static void add(List<String> parts, String name, @Nullable String value) {
        if (value != null) {
            parts.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
        }
    }

    private static void describe(List<String> parts, String name, @Nullable String value) {
        if (value != null) {
            parts.add(name + "=" + value);
        }
    }

    /** A bad value quoted in a message: short, and without control characters. */
    private static String shown(String text) {
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= 40 ? clean : clean.substring(0, 39) + "…";
    }

    private static @Nullable String trim(@Nullable String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }
}
