package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The committed development realm, imported into a real Keycloak: the tokens the portal will verify carry the
 * realm roles and the portal's audience, for people (password grant) and programs (client credentials) alike, and
 * browsers may come back only to loopback addresses.
 */
@ExtendWith(KeycloakExtension.class)
class KeycloakRealmTest {

    static KeycloakServer keycloak;
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final JsonMapper json = JsonMapper.builder().build();

    @BeforeAll
    static void start(KeycloakServer keycloak) {
        KeycloakRealmTest.keycloak = keycloak;
    }

    @Test
    void givesAResearcherATokenWithHerRealmRoleAndThePortalAudience() throws Exception {
        JsonNode claims = claims(token(Map.of("grant_type", "password", "client_id", "model-portal",
                "client_secret", "model-portal-dev-secret", "username", "alice", "password", "alice-dev-password")));
        assertThat(claims.path("iss").asString()).isEqualTo(keycloak.issuer());
        assertThat(claims.path("aud").toString()).contains("\"model-portal\"");
        assertThat(claims.path("realm_access").path("roles").toString()).contains("\"researcher\"")
                .doesNotContain("\"model-approver\"");
        assertThat(claims.path("preferred_username").asString()).isEqualTo("alice");
        assertThat(claims.path("name").asString()).isEqualTo("Alice Researcher");
    }

    @Test
    void coversEveryRoleWithItsOwnUsers() throws Exception {
        Map<String, String> roleOf = Map.of("erin", "researcher", "bob", "model-approver", "dave", "model-approver",
                "carol", "auditor", "adam", "admin");
        for (Map.Entry<String, String> user : roleOf.entrySet()) {
            JsonNode claims = claims(token(Map.of("grant_type", "password", "client_id", "model-portal",
                    "client_secret", "model-portal-dev-secret", "username", user.getKey(),
                    "password", user.getKey() + "-dev-password")));
            assertThat(claims.path("realm_access").path("roles").toString()).as(user.getKey())
                    .contains("\"" + user.getValue() + "\"");
        }
        JsonNode bob = claims(token(Map.of("grant_type", "password", "client_id", "model-portal", "client_secret",
                "model-portal-dev-secret", "username", "bob", "password", "bob-dev-password")));
        assertThat(bob.path("realm_access").path("roles").toString()).as("an approver who is not an admin")
                .doesNotContain("\"admin\"");
    }

    @Test
    void givesAProgramAClientCredentialsTokenForInference() throws Exception {
        JsonNode claims = claims(token(Map.of("grant_type", "client_credentials", "client_id", "inference-client",
                "client_secret", "inference-client-dev-secret")));
        assertThat(claims.path("azp").asString()).isEqualTo("inference-client");
        assertThat(claims.path("aud").toString()).contains("\"model-portal\"");
        assertThat(claims.path("realm_access").path("roles").toString()).contains("\"inference-client\"");
    }

    @Test
    void putsTheRealmRolesIntoThePortalsIdTokenForTheBrowserLogin() throws Exception {
        HttpResponse<String> response = post(Map.of("grant_type", "password", "client_id", "model-portal",
                "client_secret", "model-portal-dev-secret", "username", "bob", "password", "bob-dev-password",
                "scope", "openid profile"));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode idToken = claims(json.readTree(response.body()).path("id_token").asString());
        assertThat(idToken.path("realm_access").path("roles").toString()).contains("\"model-approver\"");
        assertThat(idToken.path("name").asString()).isEqualTo("Bob Approver");
    }

    @Test
    void givesAnotherApplicationsProgramsTokensThatAreNotMeantForThePortal() throws Exception {
        JsonNode claims = claims(token(Map.of("grant_type", "client_credentials", "client_id", "ward-dashboard",
                "client_secret", "ward-dashboard-dev-secret")));
        assertThat(claims.path("aud").toString()).doesNotContain("model-portal");
    }

    @Test
    void refusesAWrongPassword() throws Exception {
        HttpResponse<String> response = post(Map.of("grant_type", "password", "client_id", "model-portal",
                "client_secret", "model-portal-dev-secret", "username", "alice", "password", "guess"));
        assertThat(response.statusCode()).isEqualTo(401);
    }

    @Test
    void sendsBrowsersBackOnlyToLoopbackAddresses() throws Exception {
        assertThat(authorize("http://127.0.0.1:45678/login/oauth2/code/keycloak").statusCode()).isEqualTo(200);
        assertThat(authorize("http://127.0.0.1:51234/login/oauth2/code/keycloak").statusCode()).isEqualTo(200);
        HttpResponse<String> evil = authorize("http://evil.example/login/oauth2/code/keycloak");
        assertThat(evil.statusCode()).isEqualTo(400);
        assertThat(evil.body()).contains("redirect");
    }

    private HttpResponse<String> authorize(String redirectUri) throws Exception {
        String url = keycloak.issuer() + "/protocol/openid-connect/auth?client_id=model-portal&response_type=code"
                + "&scope=openid&redirect_uri=" + URLEncoder.encode(redirectUri, StandardCharsets.UTF_8);
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String token(Map<String, String> form) throws Exception {
        HttpResponse<String> response = post(form);
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return json.readTree(response.body()).path("access_token").asString();
    }

    private static HttpResponse<String> post(Map<String, String> form) throws Exception {
        String body = form.entrySet().stream().map(e -> e.getKey() + "=" + URLEncoder.encode(e.getValue(),
                StandardCharsets.UTF_8)).collect(Collectors.joining("&"));
        return http.send(HttpRequest.newBuilder(URI.create(keycloak.tokenEndpoint()))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode claims(String jwt) {
        return json.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
