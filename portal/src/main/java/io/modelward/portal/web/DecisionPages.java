package io.modelward.portal.web;

import io.modelward.catalog.CatalogQueries;
import io.modelward.catalog.CatalogService;
import io.modelward.catalog.VersionDetails;
import io.modelward.governance.Actor;
import io.modelward.governance.ProblemException;
import org.jspecify.annotations.Nullable;
import org.springframework.orm.ObjectOptimisticLockingFailureException;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** Submit, approve, reject and retire, and the approvers' queue. Each action posts a form and redirects back. */
@Controller
class DecisionPages {

    private final CatalogService catalog;
    private final CatalogQueries queries;

    DecisionPages(CatalogService catalog, CatalogQueries queries) {
        this.catalog = catalog;
        this.queries = queries;
    }

    @GetMapping("/approvals")
    String queue(Actor actor, Model model) {
        model.addAttribute("queue", queries.approvalQueue());
        model.addAttribute("can", new Can(actor));
        return "catalog/approvals";
    }

    @PostMapping("/models/{name}/versions/{version}/submit")
    String submit(Actor actor, @PathVariable String name, @PathVariable String version, RedirectAttributes redirect) {
        return act(redirect, name, version, "Submitted for approval.", () -> catalog.submit(actor, name, version));
    }

    @PostMapping("/models/{name}/versions/{version}/approve")
    String approve(Actor actor, @PathVariable String name, @PathVariable String version,
            @RequestParam(required = false) @Nullable String reason, RedirectAttributes redirect) {
        return act(redirect, name, version, "Approved.", () -> catalog.approve(actor, name, version, reason));
    }

    @PostMapping("/models/{name}/versions/{version}/reject")
    String reject(Actor actor, @PathVariable String name, @PathVariable String version,
            @RequestParam(required = false) @Nullable String reason, RedirectAttributes redirect) {
        return act(redirect, name, version, "Rejected.", () -> catalog.reject(actor, name, version, reason));
    }

    @PostMapping("/models/{name}/versions/{version}/retire")
    String retire(Actor actor, @PathVariable String name, @PathVariable String version,
            @RequestParam(required = false) @Nullable String reason, RedirectAttributes redirect) {
        return act(redirect, name, version, "Retired.", () -> catalog.retire(actor, name, version, reason));
    }

    private static String act(RedirectAttributes redirect, String name, String version, String done,
            java.util.function.Supplier<VersionDetails> action) {
        try {
            VersionDetails v = action.get();
            redirect.addFlashAttribute("success", v.model() + " " + v.version() + ": " + done);
        }
        catch (ProblemException ex) {
            if (ex.status() == 404) {
                throw ex;
            }
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        catch (ObjectOptimisticLockingFailureException ex) {
            redirect.addFlashAttribute("error", "Someone else changed this version at the same time: check its "
                    + "state and try again.");
        }
        return "redirect:/models/" + name + "/versions/" + version;
    }
}
