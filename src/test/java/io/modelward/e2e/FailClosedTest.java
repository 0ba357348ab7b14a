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

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Fail closed, with the database really gone: the packaged portal on the embedded default answers its seeded demo
 * model; then its PostgreSQL is shut down under it, and inference through the API and the KServe V2 protocol gets 503,
 * never the model's answer, since nothing can be audited.
 */
class FailClosedTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.e2e.models", "../../tools/models/digits"));
    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void answersNothingOnceTheAuditDatabaseIsDown() throws Exception {
        Path data = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("closed-" + System.nanoTime());
        try (PortalProcess portal = PortalProcess.start(data)) {
            String alice = "Basic " + Base64.getEncoder().encodeToString(("alice:" + portal.password("alice"))
                    .getBytes(StandardCharsets.UTF_8));
            Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(
                    () -> assertThat(classify(portal, alice).statusCode()).as("the demo model answers").isEqualTo(200));

            ProcessHandle postgres = portal.postgres();
            // a fast shutdown, as when the database server is stopped or fails: clients are disconnected
            new ProcessBuilder("kill", "-INT", Long.toString(postgres.pid())).inheritIO().start().waitFor();
            assertThat(postgres.onExit().get(30, java.util.concurrent.TimeUnit.SECONDS).isAlive()).isFalse();

            HttpResponse<String> refused = classify(portal, alice);
            assertThat(refused.statusCode()).as(refused.body()).isEqualTo(503);
            assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
            assertThat(refused.body()).doesNotContain("probability").contains("\"status\":503");

            HttpResponse<String> v2 = http.send(HttpRequest.newBuilder(URI.create(portal.url(
                            "/v2/models/demo-digits/infer"))).header("Authorization", alice)
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(
                            "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], \"datatype\": \"FP32\", "
                                    + "\"data\": [" + String.join(", ", Collections.nCopies(64, "0.5")) + "]}]}"))
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(v2.statusCode()).as(v2.body()).isEqualTo(503);
            assertThat(v2.body()).startsWith("{\"error\":").doesNotContain("outputs");
        }
    }

    private HttpResponse<String> classify(PortalProcess portal, String auth) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(portal.url("/api/models/demo-digits/classify")))
                .header("Authorization", auth).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofFile(DIGITS.resolve("test-images/000-9.png"))).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
