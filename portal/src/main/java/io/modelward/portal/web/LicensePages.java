package io.modelward.portal.web;

import io.modelward.catalog.license.LicensePolicy;
import io.modelward.catalog.license.LicenseRule;
import io.modelward.catalog.license.LicenseVerdict;
import io.modelward.governance.Actor;
import io.modelward.governance.ProblemException;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/** The license policy: everyone may read it, admins change it. */
@Controller
class LicensePages {

    private final LicensePolicy policy;

    LicensePages(LicensePolicy policy) {
        this.policy = policy;
    }

    @GetMapping("/licenses")
    String rules(Actor actor, Model model) {
        model.addAttribute("rules", policy.rules());
        model.addAttribute("verdicts", LicenseVerdict.values());
        model.addAttribute("can", new Can(actor));
        return "licenses";
    }

    @PostMapping("/licenses")
    String put(Actor actor, @RequestParam String spdxId, @RequestParam(required = false) @Nullable String name,
            @RequestParam LicenseVerdict verdict, @RequestParam(required = false) @Nullable String note,
            RedirectAttributes redirect) {
        try {
            LicenseRule rule = policy.put(actor, spdxId, name == null ? "" : name, verdict, note);
            redirect.addFlashAttribute("success", rule.spdxId() + " is now " + rule.verdict() + ".");
        }
        catch (ProblemException ex) {
            redirect.addFlashAttribute("error", ex.getMessage());
        }
        return "redirect:/licenses";
    }
}
