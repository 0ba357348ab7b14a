package io.modelward.portal.security;

import org.jspecify.annotations.Nullable;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/** The embedded default: local accounts, by form login in the browser and HTTP Basic on the API. */
record LocalLogin() implements LoginMethod {

    @Override
    public void configureApi(HttpSecurity http, ProblemResponses problems) throws Exception {
        http.httpBasic(basic -> basic.realmName("ModelWard").authenticationEntryPoint(problems));
    }

    @Override
    public void configureBrowser(HttpSecurity http) throws Exception {
        http.formLogin(form -> form.loginPage("/login").defaultSuccessUrl("/models", false).permitAll())
                .logout(logout -> logout.logoutSuccessUrl("/login?logout").permitAll());
    }

    @Override
    public boolean sso() {
        return false;
    }

    @Override
    public @Nullable String issuer() {
        return null;
    }
}
