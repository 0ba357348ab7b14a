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
import java.util.List;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Local deployments as the embedded default runs them, with the packaged portal and the real runtime jar: a deployed
 * version comes up READY as child processes of the portal; stopping the portal stops them; a restarted portal brings
 * the deployment back; and when the portal is killed outright its runtimes notice and exit, leaving no orphan.
 */
class LocalDeploymentProcessesTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.e2e.models", "../../tools/models/digits"));
    static final Path RUNTIME = Path.of(System.getProperty("modelward.runtime.jar",
            "../../inference-runtime/target/inference-runtime.jar"));
    static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void runsDeploymentsAsChildrenThatNeverOutliveThePortal() throws Exception {
        Path data = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("local-" + System.nanoTime());
        String[] args = { "--modelward.deployer.local.runtime-jar=" + RUNTIME.toAbsolutePath() };
        List<ProcessHandle> runtimes;
        try (PortalProcess portal = PortalProcess.start(data, args)) {
            String alice = basic("alice", portal.password("alice"));
            String bob = basic("bob", portal.password("bob"));
            send(portal, "POST", "/api/models", alice, "{\"name\": \"digits\", \"displayName\": \"Digits\", "
                    + "\"task\": \"IMAGE_CLASSIFICATION\"}", 201);
            send(portal, "POST", "/api/models/digits/versions", alice, """
                    {"version": "1.0", "format": "TORCHSCRIPT", "license": "MIT", "provenance": {"sourceType": "UPLOAD"},
                     "input": {"imageSize": 8, "resizeTo": 8, "grayscale": true, "mean": [0], "std": [1]}}""", 201);
            upload(portal, alice, "model", "digits.pt");
            upload(portal, alice, "labels", "synset.txt");
            send(portal, "POST", "/api/models/digits/versions/1.0/submit", alice, "", 200);
            send(portal, "POST", "/api/models/digits/versions/1.0/approve", bob, "{\"reason\": \"e2e\"}", 200);
            send(portal, "POST", "/api/deployments", alice, "{\"name\": \"digits-local\", \"model\": \"digits\", "
                    + "\"version\": \"1.0\", \"target\": \"LOCAL\", \"minReplicas\": 1, \"maxReplicas\": 1}", 201);
            awaitReady(portal, alice);
            runtimes = runtimesOf(portal);
            assertThat(runtimes).hasSize(1);
        }
        Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(
                () -> assertThat(runtimes).as("stopped with the portal").noneMatch(ProcessHandle::isAlive));

        PortalProcess again = PortalProcess.start(data, args);
        try {
            awaitReady(again, basic("alice", again.password("alice")));
            List<ProcessHandle> restarted = runtimesOf(again);
            assertThat(restarted).as("the deployment comes back with the portal").hasSize(1);
            again.kill();
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(restarted)
                    .as("a runtime exits when its portal is killed").noneMatch(ProcessHandle::isAlive));
        }
        finally {
            again.close();
        }
    }

    private static List<ProcessHandle> runtimesOf(PortalProcess portal) {
        return portal.handle().children()
                .filter(p -> p.info().commandLine().orElse("").contains("inference-runtime.jar")).toList();
    }

    private static void awaitReady(PortalProcess portal, String auth) {
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> deployment = http.send(HttpRequest.newBuilder(
                    URI.create(portal.url("/api/deployments/digits-local"))).header("Authorization", auth).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(deployment.body()).contains("\"status\":\"READY\"");
        });
    }

    private static void upload(PortalProcess portal, String auth, String kind, String file) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(portal.url(
                "/api/models/digits/versions/1.0/artifacts/" + kind + "?fileName=" + file)))
                .header("Authorization", auth).header("Content-Type", "application/octet-stream")
                .PUT(HttpRequest.BodyPublishers.ofFile(DIGITS.resolve(file))).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    }

    private static void send(PortalProcess portal, String method, String path, String auth, String json, int status)
            throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(portal.url(path)))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }
}
