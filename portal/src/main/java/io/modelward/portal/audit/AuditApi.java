package io.modelward.portal.audit;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import io.modelward.governance.Actor;
import io.modelward.governance.AuditVerifier;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.Outcome;
import io.modelward.governance.ProblemException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.annotations.ParameterObject;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The audit trail for programs: the same filtered pages and chain check as the auditors' pages. */
@RestController
@RequestMapping("/api/audit")
@Tag(name = "Audit", description = "The hash-chained audit trail (auditors and admins)")
class AuditApi {

    private final AuditQueries queries;
    private final AuditUse use;

    AuditApi(AuditQueries queries, AuditUse use) {
        this.queries = queries;
        this.use = use;
    }

    /** A page of events, newest first, with the totals of everything the filters match. */
    record EventPage(List<AuditEntry> items, int page, int size, long total, Map<Outcome, Long> totalsByOutcome) {
    }

    /** What the chain check found. */
    record Verification(boolean intact, long rows, int chains, AuditVerifier.@Nullable Break firstBreak,
            List<String> notes) {
    }

    @GetMapping("/events")
    @Operation(summary = "Search the audit trail (auditors, admins)",
            description = "Filters: from and to (a UTC date, to inclusive, or an ISO-8601 time with offset, to "
                    + "exclusive), user (subject or name contains, any case), model, action, outcome (exact), purpose "
                    + "(contains). Newest first; size defaults to 50 and is clamped to 1-500.")
    EventPage events(@ParameterObject @ModelAttribute AuditFilter filter,
            @RequestParam(defaultValue = "0") int page, @RequestParam(required = false) @Nullable Integer size,
            Actor actor) {
        use.requireAuditor(actor, GovernanceAction.AUDIT_READ);
        AuditFilter.Criteria criteria = filter.criteria();
        if (page < 0 || page > AuditPages.MAX_PAGE) {
            throw ProblemException.invalid("invalid-audit-filter", "page: must be between 0 and "
                    + AuditPages.MAX_PAGE + "; narrow the filters to see older events");
        }
        AuditQueries.Page result = queries.search(criteria, page, AuditQueries.pageSize(size));
        Map<Outcome, Long> totals = new EnumMap<>(Outcome.class);
        for (Outcome outcome : Outcome.values()) {
            totals.put(outcome, result.totals().of(outcome));
        }
        return new EventPage(result.rows(), result.page(), result.size(), result.total(), totals);
    }

    @PostMapping("/verify")
    @Operation(summary = "Check every hash chain of the audit trail (auditors, admins); the check is audited")
    Verification verify(Actor actor) {
        AuditVerifier.Result result = use.verify(actor);
        return new Verification(result.intact(), result.rows(), result.chains(), result.firstBreak(), result.notes());
    }
}
