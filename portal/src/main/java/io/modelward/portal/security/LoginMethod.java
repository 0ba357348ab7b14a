package io.modelward.portal.security;

import org.jspecify.annotations.Nullable;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * How people and programs prove who they are. Exactly one is active: the hospital's Keycloak when
 * {@code modelward.security.keycloak.enabled} (the {@code keycloak} profile), otherwise the local accounts of the
 * embedded default.
 */
public sealed interface LoginMethod permits LocalLogin, KeycloakLogin {

    /** Authentication of the stateless API chain ({@code /api/**}, {@code /v1/**}, {@code /v2/**}). */
    void configureApi(HttpSecurity http, ProblemResponses problems) throws Exception;

    /** Login and logout of the browser chain. */
    void configureBrowser(HttpSecurity http) throws Exception;

    /** Whether this is single sign-on through Keycloak. */
    boolean sso();

    /**
     * Origins besides the portal's own that forms may lead to, for the CSP {@code form-action}: logging out posts a
     * form whose answer redirects to Keycloak, and browsers hold that redirect to the policy.
     */
    default String formTargets() {
        return "";
    }

    /** The Keycloak issuer, for the login page; null for local accounts. */
    @Nullable String issuer();
}
