package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;

import org.junit.jupiter.api.Test;

/**
 * The packaged jar on the embedded default: starts healthy, keeps its data across a restart, stops its PostgreSQL
 * with it, and recovers the data directory after being killed hard. In the {@code prod} profile without its settings
 * it refuses to start and says why, having started nothing.
 */
class PortalStartTest {

    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void startsOnTheEmbeddedDefaultAndKeepsItsDataAcrossARestart() throws Exception {
        Path dataDir = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("start-" + System.nanoTime());
        String alicePassword;
        ProcessHandle postgres;
        try (PortalProcess portal = PortalProcess.start(dataDir)) {
            System.out.printf("Portal cold start (embedded default, until health UP): %d ms%n",
                    portal.coldStart().toMillis());
            assertThat(get(portal.url("/actuator/health"), null).body()).contains("\"status\":\"UP\"");
            assertThat(get(portal.url("/api/models"), null).statusCode()).isEqualTo(401);
            assertThat(get(portal.url("/login"), null).body()).contains("Local accounts");
            Path accounts = dataDir.resolve("local-accounts.properties");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(accounts))).isEqualTo("rw-------");
            assertThat(portal.log()).contains("ModelWard is ready at").doesNotContain(portal.password("alice"));
            alicePassword = portal.password("alice");
            HttpResponse<String> created = post(portal.url("/api/models"), "alice", alicePassword,
                    "{\"name\": \"persisted\", \"displayName\": \"Persisted\", \"task\": \"OTHER\"}");
            assertThat(created.statusCode()).isEqualTo(201);
            postgres = portal.postgres();
            assertThat(postgres).as("embedded PostgreSQL").matches(ProcessHandle::isAlive);
        }
        assertThat(stopsWithin(postgres, 10)).as("PostgreSQL stopped with the portal").isTrue();

        PortalProcess again = PortalProcess.start(dataDir);
        try {
            assertThat(again.password("alice")).as("same generated password after restart").isEqualTo(alicePassword);
            assertModelKept(again, alicePassword);
            postgres = again.postgres();
        }
        finally {
            again.kill();
        }
        assertThat(postgres.isAlive()).as("PostgreSQL outlives a portal killed with SIGKILL").isTrue();

        try (PortalProcess afterCrash = PortalProcess.start(dataDir)) {
            assertThat(stopsWithin(postgres, 10)).as("the stale PostgreSQL was stopped").isTrue();
            assertModelKept(afterCrash, alicePassword);
        }
    }

    @Test
    void refusesToStartInTheProdProfileWithoutItsSettingsAndNamesEachOne() throws Exception {
        Path dataDir = Files.createDirectories(Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e"))
                .resolve("prod-" + System.nanoTime())).toAbsolutePath();
        Path jar = Path.of(System.getProperty("modelward.portal.jar", "../../portal/target/modelward-portal-exec.jar"));
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                jar.toAbsolutePath().toString(), "--spring.profiles.active=prod", "--modelward.data-dir=" + dataDir)
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor()).as(output).isNotZero();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains(" - spring.datasource.url (SPRING_DATASOURCE_URL) is required")
                .contains(" - modelward.security.keycloak.issuer-uri is required")
                .contains(" - modelward.deployer.kubernetes.runtime-image (MODELWARD_DEPLOYER_KUBERNETES_RUNTIME_IMAGE) is required")
                .contains(" - modelward.catalog.artifact-dir (MODELWARD_CATALOG_ARTIFACT_DIR) is required")
                .contains(" - modelward.deployer.token-key-file (MODELWARD_DEPLOYER_TOKEN_KEY_FILE) is required")
                .contains("never falls back to the embedded defaults");
        try (var created = Files.list(dataDir)) {
            assertThat(created).as("no embedded database, key or accounts were made").isEmpty();
        }
    }

    private static boolean stopsWithin(ProcessHandle process, int seconds) {
        try {
            process.onExit().get(seconds, java.util.concurrent.TimeUnit.SECONDS);
            return true;
        }
        catch (java.util.concurrent.TimeoutException ex) {
            return false;
        }
        catch (InterruptedException | java.util.concurrent.ExecutionException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private void assertModelKept(PortalProcess portal, String alicePassword) throws Exception {
        HttpResponse<String> model = get(portal.url("/api/models/persisted"), "alice:" + alicePassword);
        assertThat(model.statusCode()).isEqualTo(200);
        assertThat(model.body()).contains("\"owner\":\"alice\"");
    }

    private HttpResponse<String> get(String url, String credentials) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url));
        if (credentials != null) {
            request.header("Authorization", basic(credentials));
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String url, String user, String password, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(url)).header("Authorization", basic(user + ":" + password))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String credentials) {
        return "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8));
    }
}
