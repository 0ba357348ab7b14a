package io.modelward.portal.web;

import io.modelward.portal.security.LocalAccountProperties;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

@Controller
class LoginController {

    private final LocalAccountProperties localAccounts;

    LoginController(LocalAccountProperties localAccounts) {
        this.localAccounts = localAccounts;
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("localAccounts", localAccounts.enabled() ? localAccounts.users() : java.util.List.of());
        return "login";
    }
}
