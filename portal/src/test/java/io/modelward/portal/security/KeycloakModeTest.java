package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.oidcLogin;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.io.IOException;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.nimbusds.jose.jwk.RSAKey;

import io.modelward.governance.Role;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.webmvc.test.autoconfigure.AutoConfigureMockMvc;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.OidcIdToken;
import org.springframework.security.oauth2.core.oidc.user.DefaultOidcUser;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * The portal in its {@code keycloak} profile: the security wiring of SSO login, RP-initiated logout and bearer tokens,
 * with tokens from {@link TestIssuer}. The end-to-end module runs the same against the real Keycloak server.
 */
@SpringBootTest
@AutoConfigureMockMvc
@ActiveProfiles({ "test", "keycloak" })
@ExtendWith(OutputCaptureExtension.class)
class KeycloakModeTest {

    static final TestIssuer issuer = newIssuer();

    @DynamicPropertySource
    static void keycloak(DynamicPropertyRegistry registry) {
        registry.add("modelward.security.keycloak.issuer-uri", issuer::issuer);
        registry.add("modelward.security.keycloak.client-secret", () -> "test-client-secret");
    }

    @AfterAll
    static void stop() {
        issuer.close();
    }

    @Autowired
    MockMvc mvc;

    @Autowired
    ClientRegistrationRepository registrations;

    @Autowired
    JdbcClient jdbc;

    @Test
    void sendsBrowsersStraightToKeycloakWithTheAuthorizationCodeFlow() throws Exception {
        mvc.perform(get("/models")).andExpect(status().isFound())
                .andExpect(redirectedUrl("/oauth2/authorization/keycloak"));
        mvc.perform(get("/oauth2/authorization/keycloak")).andExpect(status().isFound())
                .andExpect(header().string(HttpHeaders.LOCATION, allOf(
                        startsWith(issuer.issuer() + "/protocol/openid-connect/auth?"),
                        containsString("response_type=code"), containsString("client_id=model-portal"),
                        containsString("scope=openid"),
                        containsString("redirect_uri=http://localhost/login/oauth2/code/keycloak"))));
    }

    @Test
    void saysOnTheLoginPageThatSingleSignOnIsActiveAndOffersNoPasswordForm() throws Exception {
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Single sign-on"), containsString(issuer.issuer()),
                        containsString("/oauth2/authorization/keycloak"), not(containsString("name=\"password\"")),
                        not(containsString("alice")))));
    }

    @Test
    void showsThePersonsNameAndRealmRolesInTheHeader() throws Exception {
        mvc.perform(get("/models").with(person("alice", "Alice Liddell", Role.RESEARCHER, Role.AUDITOR)))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Alice Liddell"),
                        containsString("auditor, researcher"))));
    }

    @Test
    void endsTheKeycloakSessionOnLogout() throws Exception {
        mvc.perform(post("/logout").with(person("alice", "Alice Liddell", Role.RESEARCHER)).with(csrf()))
                .andExpect(status().isFound())
                .andExpect(header().string(HttpHeaders.LOCATION, allOf(
                        startsWith(issuer.issuer() + "/protocol/openid-connect/logout?"),
                        containsString("id_token_hint="),
                        containsString("post_logout_redirect_uri=http://localhost/login?logout"))));
    }

    @Test
    void recordsTheLogoutOfASingleSignOnSessionOnTheTrail() throws Exception {
        int before = trail("alice", "LOGOUT").size();
        mvc.perform(post("/logout").with(person("alice", "Alice Liddell", Role.RESEARCHER)).with(csrf()))
                .andExpect(status().isFound());
        List<java.util.Map<String, Object>> rows = trail("alice", "LOGOUT");
        assertThat(rows).hasSize(before + 1);
        assertThat(rows.getLast()).containsEntry("outcome", "OK").containsEntry("actor_name", "Alice Liddell")
                .containsEntry("actor_roles", "researcher");
    }

    @Test
    void recordsASingleSignOnThatDidNotCompleteAsAFailedLogin() throws Exception {
        int before = trail("anonymous", "LOGIN_FAILED").size();
        // Keycloak's answer to an authorization request this browser never made
        mvc.perform(get("/login/oauth2/code/keycloak").param("code", "forged-code").param("state", "forged-state"))
                .andExpect(status().isFound()).andExpect(redirectedUrl("/login?error"));
        List<java.util.Map<String, Object>> rows = trail("anonymous", "LOGIN_FAILED");
        assertThat(rows).hasSize(before + 1);
        assertThat(rows.getLast()).containsEntry("outcome", "DENIED").containsEntry("http_status", 401)
                .containsEntry("source_ip", "127.0.0.1");
        assertThat((String) rows.getLast().get("detail"))
                .startsWith("single sign-on did not complete: authorization_request_not_found");
    }

    @Test
    void recordsARefusedBearerTokenActionWithTheAttemptedAction() throws Exception {
        mvc.perform(get("/api/audit/events").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("robot",
                "inference-client")))).andExpect(status().isForbidden());
        assertThat(trail("robot", "AUDIT_READ")).isNotEmpty().last().satisfies(row -> assertThat(row)
                .containsEntry("outcome", "DENIED")
                .containsEntry("detail", "Your roles do not allow this action. (GET /api/audit/events)"));
    }

    private List<java.util.Map<String, Object>> trail(String who, String action) {
        return jdbc.sql("SELECT * FROM audit_event WHERE actor_subject = ? AND action = ? ORDER BY at, seq")
                .params(who, action).query().listOfRows();
    }

    @Test
    void letsTheLogoutFormLeadToKeycloakUnderTheContentSecurityPolicy() throws Exception {
        String origin = issuer.issuer().substring(0, issuer.issuer().indexOf("/realms/"));
        mvc.perform(get("/login")).andExpect(header().string("Content-Security-Policy",
                containsString("form-action 'self' " + origin)));
    }

    @Test
    void keepsCsrfOnForFormPostsOfLoggedInPeople() throws Exception {
        mvc.perform(post("/logout").with(person("alice", "Alice Liddell", Role.RESEARCHER)))
                .andExpect(status().isForbidden());
    }

    @Test
    void letsAResearcherTokenUseTheApi() throws Exception {
        mvc.perform(get("/api/models").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("alice", "researcher"))))
                .andExpect(status().isOk());
    }

    @Test
    void answersAMissingTokenWith401AndABearerChallengeNeverARedirect() throws Exception {
        mvc.perform(get("/api/models").accept(MediaType.TEXT_HTML)).andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ModelWard\""))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("bearer token")));
    }

    @Test
    void answersAnExpiredTokenWith401InvalidToken() throws Exception {
        Instant past = Instant.now().minusSeconds(600);
        String expired = issuer.token("alice", List.of("researcher"),
                claims -> claims.issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(300))));
        mvc.perform(get("/api/models").header(HttpHeaders.AUTHORIZATION, bearer(expired)))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, allOf(
                        startsWith("Bearer realm=\"ModelWard\", error=\"invalid_token\""), containsString("expired"))))
                .andExpect(jsonPath("$.detail", containsString("expired")));
    }

    @Test
    void answersAMissingRoleWith403InsufficientScope() throws Exception {
        mvc.perform(get("/api/models").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("robot", "inference-client"))))
                .andExpect(status().isForbidden())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("insufficient_scope")))
                .andExpect(jsonPath("$.detail").value("Your roles do not allow this action."));
    }

    @Test
    void answersTheInferenceProtocolsWithTheKServeErrorBody() throws Exception {
        mvc.perform(get("/v2/models/digits")).andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.error", containsString("bearer token")));
        mvc.perform(post("/v2/models/digits/infer").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("carol", "auditor"))))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.error").value("Your roles do not allow this action."));
    }

    @Test
    void refusesLocalPasswordsAndBrowserSessionsOnTheApi() throws Exception {
        mvc.perform(get("/api/models").with(httpBasic("alice", "alice-pw"))).andExpect(status().isUnauthorized());
        // a logged-in browser session, as the portal chain stores it, means nothing to the API
        var session = new org.springframework.mock.web.MockHttpSession();
        var context = org.springframework.security.core.context.SecurityContextHolder.createEmptyContext();
        context.setAuthentication(new org.springframework.security.oauth2.client.authentication.OAuth2AuthenticationToken(
                oidcUser("alice", "Alice Liddell", Role.RESEARCHER), oidcUser("alice", "Alice Liddell", Role.RESEARCHER)
                        .getAuthorities(), "keycloak"));
        session.setAttribute("SPRING_SECURITY_CONTEXT", context);
        mvc.perform(get("/models").session(session)).andExpect(status().isOk());
        mvc.perform(get("/api/models").session(session)).andExpect(status().isUnauthorized());
    }

    @Test
    void answersATokenSignedByAnUnknownKeyWith401EveryTimeAndAuditsTheRefusedCalls(CapturedOutput output)
            throws Exception {
        mvc.perform(get("/api/models").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("alice", "researcher"))))
                .andExpect(status().isOk());
        int fetches = issuer.jwksFetches.get();
        // as a token from another realm: a key id this realm does not publish
        String unknown = TestIssuer.sign(new RSAKey.Builder(issuer.key).keyID("another-realms-key").build(),
                issuer.claims("mallory", List.of("researcher", "inference-client"), claims -> {
                }));
        for (int i = 0; i < 20; i++) {
            mvc.perform(get("/api/models").header(HttpHeaders.AUTHORIZATION, bearer(unknown)))
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE,
                            startsWith("Bearer realm=\"ModelWard\", error=\"invalid_token\"")))
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail", containsString("no matching key")));
            String requestId = UUID.randomUUID().toString();
            mvc.perform(post("/v2/models/digits/infer").header(HttpHeaders.AUTHORIZATION, bearer(unknown))
                            .header("X-Request-Id", requestId).contentType(MediaType.APPLICATION_JSON).content("{}"))
                    .andExpect(status().isUnauthorized())
                    .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("invalid_token")))
                    .andExpect(content().contentType(MediaType.APPLICATION_JSON))
                    .andExpect(jsonPath("$.error", containsString("no matching key")));
            assertThat(jdbc.sql("SELECT outcome, http_status FROM audit_event WHERE request_id = ?").param(requestId)
                    .query().listOfRows()).as("audit rows of call %d", i)
                    .containsExactly(Map.of("outcome", "DENIED", "http_status", 401));
        }
        assertThat(issuer.jwksFetches.get() - fetches).as("JWKS fetches for 40 calls with the unknown key")
                .isLessThanOrEqualTo(1);
        assertThat(output.getAll()).contains("Refused a bearer token signed with an unknown key 'another-realms-key'")
                .doesNotContain("RateLimitReachedException").doesNotContain("AuthenticationServiceException");
        mvc.perform(get("/api/models").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("alice", "researcher"))))
                .andExpect(status().isOk());
    }

    @Test
    void servesTheOpenApiDocumentAndTheExportsToProgramsWithABearerTokenAndTheRole() throws Exception {
        mvc.perform(get("/v3/api-docs").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("alice", "researcher"))))
                .andExpect(status().isOk()).andExpect(jsonPath("$.openapi", startsWith("3.")));
        mvc.perform(get("/audit/export.csv").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("carol", "auditor"))))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv; charset=UTF-8; header=present"))
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
        mvc.perform(get("/audit/export.fhir.json").header(HttpHeaders.AUTHORIZATION,
                bearer(issuer.token("adam", "admin")))).andExpect(status().isOk());
    }

    @Test
    void refusesTheExportsToProgramsWithoutTheRoleOrAValidTokenWithAProblemNeverARedirect() throws Exception {
        mvc.perform(get("/audit/export.csv").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("alice", "researcher"))))
                .andExpect(status().isForbidden())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, containsString("insufficient_scope")))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Your roles do not allow this action."));
        mvc.perform(get("/v3/api-docs").header(HttpHeaders.AUTHORIZATION, bearer(issuer.token("robot", "inference-client"))))
                .andExpect(status().isForbidden());
        Instant past = Instant.now().minusSeconds(600);
        String expired = issuer.token("carol", List.of("auditor"),
                claims -> claims.issueTime(Date.from(past)).expirationTime(Date.from(past.plusSeconds(300))));
        mvc.perform(get("/audit/export.pdf").header(HttpHeaders.AUTHORIZATION, bearer(expired)))
                .andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, startsWith("Bearer realm=\"ModelWard\", "
                        + "error=\"invalid_token\"")))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("expired")));
        // local passwords mean nothing with Keycloak, here as on the API
        mvc.perform(get("/audit/export.csv").with(httpBasic("carol", "carol-pw"))).andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ModelWard\""));
    }

    @Test
    void keepsSendingBrowsersToKeycloakForTheExportsAndServingThemWithASession() throws Exception {
        mvc.perform(get("/audit/export.csv")).andExpect(status().isFound())
                .andExpect(redirectedUrl("/oauth2/authorization/keycloak"));
        mvc.perform(get("/v3/api-docs")).andExpect(status().isFound())
                .andExpect(redirectedUrl("/oauth2/authorization/keycloak"));
        mvc.perform(get("/audit/export.csv").with(person("carol", "Carol Auditor", Role.AUDITOR)))
                .andExpect(status().isOk());
        mvc.perform(get("/audit/export.csv").with(person("alice", "Alice Liddell", Role.RESEARCHER)))
                .andExpect(status().isForbidden());
    }

    private RequestPostProcessor person(String user, String name, Role... roles) {
        return oidcLogin().clientRegistration(registrations.findByRegistrationId("keycloak"))
                .oidcUser(oidcUser(user, name, roles));
    }

    private DefaultOidcUser oidcUser(String user, String name, Role... roles) {
        OidcIdToken idToken = OidcIdToken.withTokenValue("id-token-of-" + user).issuer(issuer.issuer()).subject(user)
                .claim("preferred_username", user).claim("name", name).issuedAt(Instant.now())
                .expiresAt(Instant.now().plusSeconds(300)).build();
        List<SimpleGrantedAuthority> authorities = java.util.Arrays.stream(roles)
                .map(role -> new SimpleGrantedAuthority(role.authority())).toList();
        return new DefaultOidcUser(authorities, idToken, "preferred_username");
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    private static TestIssuer newIssuer() {
        try {
            return new TestIssuer();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
