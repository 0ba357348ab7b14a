package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Programs with tokens from the real Keycloak against the packaged portal: every API action against every role
 * (allowed and forbidden), and every kind of forged or broken token refused with 401 and a bearer challenge.
 */
@ExtendWith(KeycloakExtension.class)
class ApiTokensTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.e2e.models", "../../tools/models/digits"));
    static final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
    static final JsonMapper json = JsonMapper.builder().build();
    static final AtomicInteger counter = new AtomicInteger();

    static KeycloakServer keycloak;
    static SsoPortal portal;
    /** People and programs by role: two researchers, an approver, an auditor, an admin and an inference client. */
    static final Map<String, String> tokens = new LinkedHashMap<>();

    @BeforeAll
    static void start(KeycloakServer keycloak, SsoPortal portal) throws Exception {
        ApiTokensTest.keycloak = keycloak;
        ApiTokensTest.portal = portal;
        for (String user : new String[] { "alice", "erin", "bob", "carol", "adam" }) {
            tokens.put(user, keycloak.userToken(user));
        }
        tokens.put("program", keycloak.clientToken("inference-client"));
    }

    @Test
    void checksEveryRoleOnEveryApiActionWithRealTokens() throws Exception {
        expect("read catalog", "alice", 200, "erin", 200, "bob", 200, "carol", 200, "adam", 200, "program", 403);
        expect("read licenses", "alice", 200, "erin", 200, "bob", 200, "carol", 200, "adam", 200, "program", 403);
        expect("register model", "program", 403, "bob", 403, "carol", 403, "adam", 403, "alice", 201, "erin", 201);
        expect("register version", "program", 403, "erin", 403, "bob", 403, "carol", 403, "alice", 201, "adam", 201);
        expect("upload", "program", 403, "erin", 403, "bob", 403, "carol", 403, "alice", 201, "adam", 201);
        expect("submit", "program", 403, "erin", 403, "bob", 403, "carol", 403, "alice", 200, "adam", 200);
        expect("approve", "program", 403, "alice", 403, "erin", 403, "carol", 403, "adam", 403, "bob", 200);
        expect("reject", "program", 403, "alice", 403, "erin", 403, "carol", 403, "adam", 403, "bob", 200);
        expect("retire", "program", 403, "erin", 403, "carol", 403, "alice", 200, "bob", 200, "adam", 200);
        expect("edit license", "program", 403, "alice", 403, "erin", 403, "bob", 403, "carol", 403, "adam", 200);
        // the inference protocols admit programs and researchers only (the gateway behind them is another issue)
        for (String who : new String[] { "bob", "carol", "adam" }) {
            assertThat(call("infer", who).statusCode()).as("infer by " + who).isEqualTo(403);
        }
        for (String who : new String[] { "program", "alice" }) {
            assertThat(call("infer", who).statusCode()).as("infer by " + who).isNotIn(401, 403);
        }
    }

    @Test
    void recordsTheTokensUserAsTheActor() throws Exception {
        String name = model("alice");
        JsonNode model = json.readTree(send(get("/api/models/" + name, "erin")).body());
        assertThat(model.path("owner").asString()).isEqualTo("alice");
    }

    @Test
    void refusesAMissingTokenWithABearerChallengeNeverARedirect() throws Exception {
        HttpResponse<String> response = send(HttpRequest.newBuilder(URI.create(portal.url("/api/models")))
                .header("Accept", "text/html").build());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer realm=\"ModelWard\"");
        assertThat(response.headers().firstValue("Location")).isEmpty();
        assertThat(response.headers().firstValue("Set-Cookie")).isEmpty();
    }

    @Test
    void refusesAnUnsignedToken() throws Exception {
        String[] parts = tokens.get("alice").split("\\.");
        assertRefused(base64("{\"alg\":\"none\",\"typ\":\"JWT\"}") + "." + parts[1] + ".", "none");
    }

    @Test
    void refusesATokenSignedByAnotherKeyWithTheRealmsKeyId() throws Exception {
        String[] parts = tokens.get("alice").split("\\.");
        var generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        Signature rsa = Signature.getInstance("SHA256withRSA");
        rsa.initSign(generator.generateKeyPair().getPrivate());
        rsa.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        String forged = parts[0] + "." + parts[1] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(rsa.sign());
        assertRefused(forged, "Signed JWT rejected");
    }

    @Test
    void refusesAGenuineTokenFromAnotherIssuer() throws Exception {
        String token = keycloak.userTokenViaLocalhost("alice");
        assertThat(claims(token).path("iss").asString()).startsWith("http://localhost:");
        assertRefused(token, "iss");
    }

    @Test
    void refusesATokenFromAnotherRealmWith401EveryTime() throws Exception {
        String token = keycloak.masterRealmToken();
        assertThat(claims(token).path("iss").asString()).endsWith("/realms/master");
        for (int i = 0; i < 20; i++) {
            assertRefused(token, "no matching key");
        }
        for (int i = 0; i < 20; i++) {
            HttpResponse<String> response = send(post("/v2/models/digits/infer", "{\"inputs\": []}", token));
            assertThat(response.statusCode()).as("call %d: %s", i, response.body()).isEqualTo(401);
            assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer realm=\"ModelWard\", error=\"invalid_token\"");
            assertThat(json.readTree(response.body()).path("error").asString()).contains("no matching key");
        }
        assertThat(portal.log()).contains("Refused a bearer token signed with an unknown key")
                .doesNotContain("RateLimitReachedException").doesNotContain("AuthenticationServiceException");
    }

    @Test
    void refusesAnExpiredToken() throws Exception {
        String token = keycloak.clientToken("expiry-probe");
        JsonNode claims = claims(token);
        assertThat(send(get("/api/models", token)).statusCode()).as("valid, but not a portal role").isEqualTo(403);
        long waitMillis = (claims.path("exp").asLong() + 1) * 1000 - System.currentTimeMillis() + 1_200;
        Thread.sleep(Math.max(0, waitMillis)); // past exp and the portal's 1 s clock skew
        assertRefused(token, "expired");
    }

    @Test
    void refusesATokenMadeForAnotherApplication() throws Exception {
        String token = keycloak.clientToken("ward-dashboard");
        assertThat(claims(token).path("realm_access").path("roles").toString()).contains("inference-client");
        assertThat(claims(token).path("aud").toString()).doesNotContain("model-portal");
        assertRefused(token, "aud");
    }

    @Test
    void refusesATamperedPayload() throws Exception {
        String[] parts = tokens.get("alice").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"researcher\"", "\"admin\"");
        assertThat(payload).contains("\"admin\"");
        assertRefused(parts[0] + "." + base64(payload) + "." + parts[2], "Invalid signature");
    }

    @Test
    void refusesGarbageAndTokensInTheQueryString() throws Exception {
        assertRefused("not-a-jwt", "Malformed");
        HttpResponse<String> query = send(HttpRequest.newBuilder(
                URI.create(portal.url("/api/models?access_token=" + tokens.get("alice")))).build());
        assertThat(query.statusCode()).isEqualTo(401);
    }

    private void assertRefused(String token, String reason) throws Exception {
        HttpResponse<String> response = send(get("/api/models", token));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate").orElseThrow())
                .startsWith("Bearer realm=\"ModelWard\", error=\"invalid_token\"");
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(json.readTree(response.body()).path("detail").asString()).contains(reason);
    }

    // ---- the matrix ----

    private void expect(String action, Object... whoStatus) throws Exception {
        for (int i = 0; i < whoStatus.length; i += 2) {
            String who = (String) whoStatus[i];
            HttpResponse<String> response = call(action, who);
            assertThat(response.statusCode()).as(action + " by " + who + ": " + response.body())
                    .isEqualTo(whoStatus[i + 1]);
        }
    }

    /** Each call acts on a fresh model or version in the state the action needs, so the order of calls is free. */
    private HttpResponse<String> call(String action, String who) throws Exception {
        return switch (action) {
            case "read catalog" -> send(get("/api/models", who));
            case "read licenses" -> send(get("/api/licenses", who));
            case "register model" -> send(post("/api/models", modelJson(unique()), who));
            case "register version" -> send(post("/api/models/" + model("alice") + "/versions", versionJson(), who));
            case "upload" -> upload(draftWithoutFile("alice"), who);
            case "submit" -> send(post("/api/models/" + draft("alice") + "/versions/1.0/submit", "", who));
            case "approve", "reject" -> send(post("/api/models/" + submitted("erin") + "/versions/1.0/" + action,
                    "{\"reason\": \"reviewed by e2e\"}", who));
            case "retire" -> send(post("/api/models/" + approved("alice") + "/versions/1.0/retire",
                    "{\"reason\": \"superseded\"}", who));
            case "edit license" -> send(put("/api/licenses/LicenseRef-e2e-" + unique(), "{\"verdict\": \"REVIEW\"}",
                    who));
            case "infer" -> send(post("/v2/models/digits/infer", "{\"inputs\": []}", who));
            default -> throw new IllegalArgumentException(action);
        };
    }

    private String model(String owner) throws Exception {
        String name = unique();
        created(send(post("/api/models", modelJson(name), owner)));
        return name;
    }

    private String draftWithoutFile(String owner) throws Exception {
        String name = model(owner);
        created(send(post("/api/models/" + name + "/versions", versionJson(), owner)));
        return name;
    }

    private String draft(String owner) throws Exception {
        String name = draftWithoutFile(owner);
        created(upload(name, owner));
        return name;
    }

    private String submitted(String owner) throws Exception {
        String name = draft(owner);
        ok(send(post("/api/models/" + name + "/versions/1.0/submit", "", owner)));
        return name;
    }

    private String approved(String owner) throws Exception {
        String name = submitted(owner);
        ok(send(post("/api/models/" + name + "/versions/1.0/approve", "{\"reason\": \"fine\"}", "bob")));
        return name;
    }

    private HttpResponse<String> upload(String model, String who) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(portal.url("/api/models/" + model
                        + "/versions/1.0/artifacts/model?fileName=digits.pt")))
                .header("Authorization", "Bearer " + token(who)).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(DIGITS.resolve("digits.pt"))).build());
    }

    private static void created(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void ok(HttpResponse<String> response) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    }

    private HttpRequest get(String path, String who) {
        return HttpRequest.newBuilder(URI.create(portal.url(path))).header("Authorization", "Bearer " + token(who))
                .build();
    }

    private HttpRequest post(String path, String body, String who) {
        return HttpRequest.newBuilder(URI.create(portal.url(path))).header("Authorization", "Bearer " + token(who))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    private HttpRequest put(String path, String body, String who) {
        return HttpRequest.newBuilder(URI.create(portal.url(path))).header("Authorization", "Bearer " + token(who))
                .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** A role's token, or a literal token (for the forged ones). */
    private static String token(String who) {
        return tokens.getOrDefault(who, who);
    }

    private static HttpResponse<String> send(HttpRequest request) throws Exception {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String unique() {
        return "e2e-" + Long.toString(System.nanoTime(), 36) + "-" + counter.incrementAndGet();
    }

    private static String modelJson(String name) {
        return """
                {"name": "%s", "displayName": "Digits %s", "task": "IMAGE_CLASSIFICATION", "description": "e2e"}
                """.formatted(name, name);
    }

    private static String versionJson() {
        return """
                {"version": "1.0", "format": "TORCHSCRIPT", "license": "MIT",
                 "provenance": {"sourceType": "URL", "sourceUri": "https://example.org/digits", "revision": "v1",
                                "retrievedAt": "2026-10-01T10:00:00Z", "retrievedBy": "alice", "authors": "ModelWard"},
                 "input": {"imageSize": 8, "resizeTo": 8, "grayscale": true, "mean": [0.5], "std": [0.5]}}
                """;
    }

    private static String base64(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static JsonNode claims(String jwt) {
        return json.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
    }
}
