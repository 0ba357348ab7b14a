package io.modelward.portal.audit;

import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.modelward.governance.Actor;
import io.modelward.governance.AuditVerifier;
import io.modelward.governance.GovernanceAction;
import io.modelward.governance.Outcome;
import io.modelward.governance.ProblemException;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;

/**
 * The auditors' pages: the filtered, paged trail with totals and charts, one event with its hashes, and the chain
 * check. The security chain already keeps everyone else out of {@code /audit/**}; each handler checks again, so a
 * change of routes cannot open the trail.
 */
@Controller
class AuditPages {

    /** Pages beyond this are refused: narrow the filters instead of paging through millions of rows. */
    static final int MAX_PAGE = 100_000;

    private static final int MAX_CHAIN_ID = 64;
    private static final String LIST = "audit/list";

    private final AuditQueries queries;
    private final AuditUse use;
    private final Clock clock = Clock.systemUTC();

    AuditPages(AuditQueries queries, AuditUse use) {
        this.queries = queries;
        this.use = use;
    }

    /** The actions the filter offers: inference and every governance action. */
    static List<String> actions() {
        List<String> actions = new ArrayList<>();
        actions.add(AuditEntry.INFER);
        Arrays.stream(GovernanceAction.values()).map(Enum::name).forEach(actions::add);
        return actions;
    }

    @GetMapping("/audit")
    String list(@ModelAttribute("filter") AuditFilter filter, @RequestParam(defaultValue = "0") int page,
            @RequestParam(required = false) @Nullable Integer size, Actor actor, Model model,
            HttpServletResponse response) {
        use.requireAuditor(actor, GovernanceAction.AUDIT_READ);
        model.addAttribute("actions", actions());
        model.addAttribute("outcomes", Outcome.values());
        int pageSize = AuditQueries.pageSize(size);
        model.addAttribute("size", pageSize);
        try {
            model.addAttribute("result", queries.search(filter.criteria(), Math.clamp(page, 0, MAX_PAGE), pageSize));
        }
        catch (ProblemException invalid) {
            response.setStatus(invalid.status());
            model.addAttribute("error", invalid.getMessage());
        }
        return LIST;
    }

    @GetMapping("/audit/events/{chainId}/{seq}")
    String event(@PathVariable String chainId, @PathVariable long seq, Actor actor, Model model) {
        use.requireAuditor(actor, GovernanceAction.AUDIT_READ);
        AuditEntry entry = chainId.length() > MAX_CHAIN_ID ? null : queries.event(chainId, seq).orElse(null);
        if (entry == null) {
            throw ProblemException.notFound("There is no audit event " + seq + " in that chain.");
        }
        model.addAttribute("e", entry);
        model.addAttribute("hasNext", queries.event(chainId, seq + 1).isPresent());
        return "audit/event";
    }

    @GetMapping("/audit/verify")
    String verifyForm(Actor actor) {
        use.requireAuditor(actor, GovernanceAction.AUDIT_READ);
        return "audit/verify";
    }

    @PostMapping("/audit/verify")
    String verify(Actor actor, Model model) {
        AuditVerifier.Result result = use.verify(actor);
        model.addAttribute("result", result);
        AuditVerifier.Break broken = result.firstBreak();
        if (broken != null) {
            model.addAttribute("brokenRowExists", queries.event(broken.chainId(), broken.seq()).isPresent());
        }
        return "audit/verify";
    }

    /** Daily counts per model and per outcome under the same filters, for the charts on the list page. */
    @GetMapping(path = "/audit/stats", produces = "application/json")
    @ResponseBody
    AuditStats stats(@ModelAttribute AuditFilter filter, Actor actor) {
        use.requireAuditor(actor, GovernanceAction.AUDIT_READ);
        AuditFilter.Criteria criteria = AuditStats.bounded(filter.criteria(), clock.instant());
        return AuditStats.of(criteria, queries.dailyByModel(criteria), queries.dailyByOutcome(criteria));
    }
}
