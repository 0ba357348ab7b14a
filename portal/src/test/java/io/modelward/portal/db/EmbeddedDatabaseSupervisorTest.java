package io.modelward.portal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import io.modelward.governance.AuditVerifier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default's PostgreSQL (kept data, as it runs by default) is killed under load (kill -9 of its postmaster): the supervisor starts it again
 * on the same port and data, the pool reconnects, and the portal answers again by itself; meanwhile nothing fails
 * with 500 or is answered unaudited, and the audit chain verifies afterwards.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
    // as the embedded default runs (fsync and synchronous commits on): an ephemeral database may lose its last commits
    // when killed, and an answered call would then be missing from the trail
    "modelward.database.embedded.ephemeral=false" })
@ActiveProfiles("test")
@ExtendWith(OutputCaptureExtension.class)
class EmbeddedDatabaseSupervisorTest {

    @DynamicPropertySource
    static void dataDirectory(DynamicPropertyRegistry registry) {
        registry.add("modelward.database.embedded.data-dir", () -> Path.of(System.getProperty("modelward.data-dir",
                "target/test-data"), "supervised-postgres-" + System.nanoTime()).toAbsolutePath().toString());
    }

    @Autowired
    EmbeddedDatabase database;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditVerifier verifier;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void aKilledPostmasterIsStartedAgainAndThePortalAnswersAgainByItself(CapturedOutput output) throws Exception {
        try (OutageLoad load = new OutageLoad(port)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> load.count(c -> c.status() == 404) >= 2
                    && load.count(c -> c.status() == 200) >= 1);
            ProcessHandle killed = database.postmaster();
            int portBefore = database.port();

            load.phase.set(OutageLoad.DOWN);
            killed.destroyForcibly();
            killed.onExit().get(30, TimeUnit.SECONDS);
            long dead = System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100))
                    .until(() -> database.restarts() == 1);
            load.phase.set(OutageLoad.BACK);

            assertThat(database.postmaster().pid()).isNotEqualTo(killed.pid());
            assertThat(EmbeddedDatabase.alive(database.postmaster())).isTrue();
            assertThat(database.port()).isEqualTo(portBefore);
            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(get("/api/models").statusCode()).isEqualTo(200);
                assertThat(get("/actuator/health/readiness").statusCode()).isEqualTo(200);
            });
            long answeredBefore = load.count(c -> c.status() == 404);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> load.count(c -> c.status() == 404)
                    >= answeredBefore + 2);
            load.close();
            // wholly while it was away: after the kill took effect, and before the supervisor began its restart
            long restarting = database.restartBegan();
            load.assertRefusedCleanlyAndAudited(jdbc, call -> call.within(dead, restarting));
        }
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
        assertThat(output.getOut().split("has stopped; starting it again", -1)).as("logged once").hasSize(2);
        assertThat(output.getOut()).doesNotContain("Gave up starting");
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
                .header("Authorization", OutageLoad.basic("alice")).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
