package io.modelward.portal.web;

import java.util.List;

import io.modelward.portal.security.LocalAccountProperties;
import io.modelward.portal.security.LoginMethod;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;

/** The login page, which says which login method is active: the hospital's Keycloak or local accounts. */
@Controller
class LoginController {

    private final LoginMethod login;
    private final LocalAccountProperties localAccounts;

    LoginController(LoginMethod login, LocalAccountProperties localAccounts) {
        this.login = login;
        this.localAccounts = localAccounts;
    }

    @GetMapping("/login")
    String login(Model model) {
        model.addAttribute("sso", login.sso());
        model.addAttribute("issuer", login.issuer());
        model.addAttribute("localAccounts", login.sso() ? List.of() : localAccounts.users());
        return "login";
    }
}
