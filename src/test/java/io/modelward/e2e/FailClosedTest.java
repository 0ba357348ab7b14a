package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Fail closed, and recover, with the database really gone: the packaged portal on the embedded default answers its
 * seeded demo model; then its PostgreSQL is killed under it (kill -9 of the postmaster). A call that cannot be audited
 * meanwhile gets 503 in its protocol's shape, never the model's answer, and none fails otherwise; the portal's
 * supervisor starts PostgreSQL again on the same port and data, the model answers again by itself, every answered call
 * is in the audit trail, and the chains verify. (The restart usually takes less than the pool's 5 s wait for a
 * connection, so the calls may all be answered; ExternalDatabaseTest keeps a database away long enough to see each
 * kind of refusal.)
 */
class FailClosedTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.e2e.models", "../../tools/models/digits"));
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersNothingWhileTheAuditDatabaseIsDownAndAnswersAgainOnceItsSupervisorHasStartedItAgain()
            throws Exception {
        Path data = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("closed-" + System.nanoTime());
        try (PortalProcess portal = PortalProcess.start(data)) {
            String alice = basic("alice", portal.password("alice"));
            String purpose = "fail-closed-" + System.nanoTime();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(
                    () -> assertThat(classify(portal, alice, "warm-up").statusCode()).as("the demo model answers")
                            .isEqualTo(200));

            ProcessHandle postgres = portal.postgres();
            postgres.destroyForcibly();
            assertThat(postgres.onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();

            AtomicInteger answered = new AtomicInteger();
            AtomicInteger refused = new AtomicInteger();
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(100)).until(() -> {
                HttpResponse<String> api = classify(portal, alice, purpose);
                if (api.statusCode() == 503) {
                    refused.incrementAndGet();
                    assertThat(api.headers().firstValue("Content-Type")).hasValue("application/problem+json");
                    assertThat(api.body()).doesNotContain("probability").contains("\"status\":503");
                }
                else {
                    assertThat(api.statusCode()).as(api.body()).isEqualTo(200);
                    answered.incrementAndGet();
                }
                HttpResponse<String> v2 = v2Infer(portal, alice, purpose);
                if (v2.statusCode() == 503) {
                    refused.incrementAndGet();
                    assertThat(v2.body()).startsWith("{\"error\":").doesNotContain("outputs");
                }
                else {
                    assertThat(v2.statusCode()).as(v2.body()).isEqualTo(200);
                    answered.incrementAndGet();
                }
                return api.statusCode() == 200 && v2.statusCode() == 200;
            });

            ProcessHandle restarted = portal.postgres();
            assertThat(restarted.pid()).isNotEqualTo(postgres.pid());
            assertThat(restarted.isAlive()).isTrue();
            assertThat(portal.log()).contains("has stopped; starting it again").contains("is running again");
            System.out.printf("Fail closed: %d calls refused with 503 while PostgreSQL was away, %d answered%n",
                    refused.get(), answered.get());

            String carol = basic("carol", portal.password("carol"));
            HttpResponse<String> trail = http.send(HttpRequest.newBuilder(URI.create(portal.url(
                    "/api/audit/events?model=demo-digits&outcome=OK&purpose=" + purpose))).header("Authorization", carol)
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(trail.statusCode()).as(trail.body()).isEqualTo(200);
            assertThat(trail.body()).as("every answered call is audited").contains("\"total\":" + answered.get() + ",");
            HttpResponse<String> verified = http.send(HttpRequest.newBuilder(URI.create(portal.url("/api/audit/verify")))
                    .header("Authorization", carol).POST(HttpRequest.BodyPublishers.noBody()).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(verified.body()).as("the chains verify").contains("\"intact\":true");
        }
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    private HttpResponse<String> classify(PortalProcess portal, String auth, String purpose) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(portal.url("/api/models/demo-digits/classify")))
                .header("Authorization", auth).header("Content-Type", "image/png").header("X-Purpose-Of-Use", purpose)
                .POST(HttpRequest.BodyPublishers.ofFile(DIGITS.resolve("test-images/000-9.png"))).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> v2Infer(PortalProcess portal, String auth, String purpose) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(portal.url("/v2/models/demo-digits/infer")))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .header("X-Purpose-Of-Use", purpose).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], \"datatype\": \"FP32\", "
                                + "\"data\": [" + String.join(", ", Collections.nCopies(64, "0.5")) + "]}]}"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }
}
