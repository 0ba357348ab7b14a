package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import org.junit.jupiter.api.Test;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;

/**
 * The alternative path for machines with Docker: the same realm in Keycloak's container image
 * (testcontainers-keycloak), and the packaged portal accepting its tokens. Without Docker (as on the build machines,
 * where the bundled distribution runs instead) the class is skipped.
 */
@Testcontainers(disabledWithoutDocker = true)
class KeycloakContainerTest {

    @Container
    static final KeycloakContainer keycloak = new KeycloakContainer("quay.io/keycloak/keycloak:26.5.6")
            .withRealmImportFile("/hospital-realm.json");

    @Test
    void letsATokenFromTheContainerKeycloakIntoThePortal() throws Exception {
        String issuer = keycloak.getAuthServerUrl().replaceAll("/$", "") + "/realms/hospital";
        Path dataDir = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("tc-" + System.nanoTime());
        try (PortalProcess portal = PortalProcess.start(dataDir, "--spring.profiles.active=keycloak",
                "--modelward.security.keycloak.issuer-uri=" + issuer,
                "--modelward.security.keycloak.client-secret=model-portal-dev-secret")) {
            HttpClient http = HttpClient.newHttpClient();
            String form = "grant_type=password&client_id=model-portal&client_secret=model-portal-dev-secret"
                    + "&username=alice&password=" + URLEncoder.encode("alice-dev-password", StandardCharsets.UTF_8);
            HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(token.statusCode()).as(token.body()).isEqualTo(200);
            String accessToken = token.body().replaceAll("(?s).*\"access_token\"\\s*:\\s*\"([^\"]+)\".*", "$1");
            HttpResponse<String> models = http.send(HttpRequest.newBuilder(URI.create(portal.url("/api/models")))
                    .header("Authorization", "Bearer " + accessToken).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(models.statusCode()).as(models.body()).isEqualTo(200);
        }
    }
}
