package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * Local deployments as the embedded default runs them, with the packaged portal and the real runtime jar: a deployed
 * version comes up READY as child processes of the portal; stopping the portal stops them; a restarted portal brings
 * the deployment back; and when the portal is killed outright under inference load, its runtimes notice and exit,
 * leaving no orphan, and every request that was answered 200 is in the audit trail after the next start; the
 * auditors' {@code verify-audit} command finds the chains intact, and the one row an intruder changes.
 */
class LocalDeploymentProcessesTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.e2e.models", "../../tools/models/digits"));
    static final Path RUNTIME = Path.of(System.getProperty("modelward.runtime.jar",
            "../../inference-runtime/target/inference-runtime.jar"));
    static final HttpClient http = HttpClient.newHttpClient();

    @Test
    void runsDeploymentsAsChildrenThatNeverOutliveThePortal() throws Exception {
        Path data = Path.of(System.getProperty("modelward.e2e.work-dir", "target/e2e")).resolve("local-" + System.nanoTime());
        int postgresPort = freePort();
        String[] args = { "--modelward.deployer.local.runtime-jar=" + RUNTIME.toAbsolutePath(),
                "--modelward.database.embedded.port=" + postgresPort, "--modelward.demo.enabled=false" };
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
        Set<String> answered = ConcurrentHashMap.newKeySet();
        try {
            String alice = basic("alice", again.password("alice"));
            awaitReady(again, alice);
            List<ProcessHandle> restarted = runtimesOf(again);
            assertThat(restarted).as("the deployment comes back with the portal").hasSize(1);
            AtomicBoolean loading = new AtomicBoolean(true);
            try (ExecutorService load = Executors.newVirtualThreadPerTaskExecutor()) {
                for (int i = 0; i < 6; i++) {
                    load.submit(() -> classifyUntilStopped(again, alice, loading, answered));
                }
                Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> answered.size() >= 20);
                again.kill();
                loading.set(false);
            }
            Awaitility.await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(restarted)
                    .as("a runtime exits when its portal is killed").noneMatch(ProcessHandle::isAlive));
        }
        finally {
            again.close();
        }
        try (PortalProcess third = PortalProcess.start(data, args);
                Connection db = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort
                        + "/postgres", "postgres", "")) {
            PreparedStatement query = db.prepareStatement(
                    "SELECT request_id FROM audit_event WHERE action = 'INFER' AND http_status = 200 AND request_id = ANY (?)");
            query.setArray(1, db.createArrayOf("varchar", answered.toArray()));
            Set<String> audited = new HashSet<>();
            try (ResultSet rows = query.executeQuery()) {
                while (rows.next()) {
                    audited.add(rows.getString(1));
                }
            }
            assertThat(audited).as("every answered request survived the crash in the audit trail")
                    .containsExactlyInAnyOrderElementsOf(answered);

            // the auditors' command checks the chains straight from the database, beside the running portal
            Command intact = verifyAudit(data);
            assertThat(intact.exitCode()).as(intact.output()).isZero();
            assertThat(intact.output()).contains("INTACT");
            String[] tampered = tamperWithOneAnsweredRow(db, answered.iterator().next());
            Command broken = verifyAudit(data);
            assertThat(broken.exitCode()).as(broken.output()).isEqualTo(1);
            assertThat(broken.output()).contains("BROKEN: chain " + tampered[0] + ", row " + tampered[1] + ":");
        }
    }

    record Command(int exitCode, String output) {
    }

    private static Command verifyAudit(Path data) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-jar",
                Path.of(System.getProperty("modelward.portal.jar")).toAbsolutePath().toString(), "verify-audit",
                "--modelward.data-dir=" + data.toAbsolutePath()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Command(process.waitFor(), output);
    }

    /** Changes one row's recorded answer as an intruder with database rights would, past the append-only trigger. */
    private static String[] tamperWithOneAnsweredRow(Connection db, String requestId) throws Exception {
        try (var statement = db.createStatement()) {
            statement.execute("SET session_replication_role = replica");
        }
        try (PreparedStatement update = db.prepareStatement("UPDATE audit_event SET output_summary = 'label 1 (0.99)' "
                + "WHERE request_id = ? RETURNING chain_id, seq")) {
            update.setString(1, requestId);
            try (ResultSet row = update.executeQuery()) {
                assertThat(row.next()).isTrue();
                return new String[] { row.getString(1), Long.toString(row.getLong(2)) };
            }
        }
    }

    private static void classifyUntilStopped(PortalProcess portal, String auth, AtomicBoolean loading,
            Set<String> answered) {
        while (loading.get()) {
            String id = UUID.randomUUID().toString();
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(portal.url(
                                "/api/models/digits/classify"))).header("Authorization", auth).header("X-Request-Id", id)
                        .header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofFile(DIGITS.resolve("test-images/000-9.png"))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    answered.add(id);
                }
            }
            catch (IOException | InterruptedException gone) {
                // the portal was killed
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
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
