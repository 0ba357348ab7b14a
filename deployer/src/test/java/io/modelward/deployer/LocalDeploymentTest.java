package io.modelward.deployer;

import static io.modelward.deployer.ApprovedVersions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

/**
 * The local backend with the real runtime jar and the committed digits model: deployments come up READY and answer,
 * a killed replica is restarted, load adds replicas and their absence removes them, idle deployments scale to zero and
 * wake on activation, and nothing is left running.
 */
@SpringBootTest
class LocalDeploymentTest {

    static final HttpClient http = HttpClient.newHttpClient();
    static final List<ProcessHandle> seen = new ArrayList<>();

    @Autowired
    DeploymentService deployments;

    @Autowired
    ApprovedVersions versions;

    @Autowired
    LocalBackend backend;

    @Autowired
    Reconciler reconciler;

    @Autowired
    DeploymentTraffic traffic;

    @Autowired
    InternalTokens tokens;

    @AfterAll
    static void leavesNoProcessBehind() {
        Awaitility.await().atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(seen).noneMatch(ProcessHandle::isAlive));
    }

    @Test
    void deploysAnswersRestartsAKilledReplicaScalesWithLoadAndStops() throws Exception {
        String model = versions.digits(ALICE);
        String name = "local-" + System.nanoTime() % 100_000;
        deployments.create(ALICE, new CreateDeployment(name, model, "1.0", DeploymentTarget.LOCAL, null, 1, 2,
                ScaleMetric.INFLIGHT, 1, 0, null, "1", null, null));
        awaitState(name, ObservedState.READY, 1);
        DeploymentView ready = deployments.view(name);
        assertThat(ready.endpoint()).startsWith("http://127.0.0.1:");
        assertThat(classify(name, model)).contains("\"label\":\"9\"");
        assertThat(post(URI.create(ready.endpoint() + "/v1/models/" + model + ":classify"), null).statusCode())
                .as("no internal token").isEqualTo(401);

        ProcessHandle first = only(name);
        first.destroyForcibly();
        await().untilAsserted(() -> assertThat(backend.processes(name)).isNotEmpty()
                .allMatch(p -> p.pid() != first.pid()));
        awaitState(name, ObservedState.READY, 1);
        assertThat(classify(name, model)).contains("\"label\":\"9\"");

        List<DeploymentTraffic.Lease> load = List.of(traffic.begin(name), traffic.begin(name), traffic.begin(name));
        awaitState(name, ObservedState.READY, 2);
        List<URI> replicas = backend.readyEndpoints(deployments.view(name).spec());
        assertThat(replicas).hasSize(2);
        List<URI> picks = java.util.stream.Stream.generate(() -> reconciler.endpoint(name).orElseThrow()).limit(4)
                .toList();
        assertThat(picks).as("requests take the ready replicas in turn").containsOnlyElementsOf(replicas);
        assertThat(picks.get(0)).isNotEqualTo(picks.get(1));
        assertThat(picks.subList(2, 4)).isEqualTo(picks.subList(0, 2));
        load.forEach(DeploymentTraffic.Lease::close);
        awaitState(name, ObservedState.READY, 1);

        deployments.stop(ALICE, name);
        awaitState(name, ObservedState.STOPPED, 0);
        assertThat(backend.processes(name)).isEmpty();
        deployments.delete(ALICE, name);
    }

    @Test
    void runsAnOnnxVersionOnOnnxRuntime() throws Exception {
        String model = versions.digitsOnnx(ALICE);
        String name = "onnx-" + System.nanoTime() % 100_000;
        deployments.create(ALICE, new CreateDeployment(name, model, "1.0", DeploymentTarget.LOCAL, null, 1, 1, null,
                null, null, null, null, null, null));
        awaitState(name, ObservedState.READY, 1);
        assertThat(classify(name, model)).contains("\"label\":\"9\"");
        URI endpoint = backend.readyEndpoints(deployments.view(name).spec()).getFirst();
        HttpResponse<String> metadata = http.send(HttpRequest.newBuilder(endpoint.resolve("/v2/models/" + model))
                .header("Authorization", "Bearer " + tokens.tokenFor(name)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(metadata.body()).contains("\"platform\":\"onnx_onnxv1\"").contains("\"shape\":[-1,1,8,8]");
        deployments.stop(ALICE, name);
        awaitState(name, ObservedState.STOPPED, 0);
        deployments.delete(ALICE, name);
    }

    @Test
    void scalesAnIdleDeploymentToZeroAndWakesItForTheNextRequest() throws Exception {
        String model = versions.digits(ALICE);
        String name = "idle-" + System.nanoTime() % 100_000;
        java.nio.file.Files.deleteIfExists(backend.classArchive());
        deployments.create(ALICE, new CreateDeployment(name, model, "1.0", DeploymentTarget.LOCAL, null, 1, 1,
                ScaleMetric.INFLIGHT, 4, 2, null, null, null, null));
        awaitState(name, ObservedState.READY, 1);
        awaitState(name, ObservedState.SCALED_TO_ZERO, 0);
        assertThat(backend.processes(name)).isEmpty();
        assertThat(deployments.view(name).events()).extracting(DeploymentEvent::kind)
                .containsSubsequence("CREATED", "READY", "SCALED_TO_ZERO");

        // the replica that stopped left the JVM's class archive, and the one that wakes maps it
        await().untilAsserted(() -> assertThat(backend.classArchive()).isNotEmptyFile());
        try (DeploymentTraffic.Lease request = traffic.begin(name)) {
            reconciler.activate(name, Duration.ofSeconds(60)).get();
            assertThat(classify(name, model)).contains("\"label\":\"9\"");
            assertThat(only(name).info().arguments()).hasValueSatisfying(args -> assertThat(args)
                    .contains("-XX:SharedArchiveFile=" + backend.classArchive().toAbsolutePath()));
        }
        awaitState(name, ObservedState.READY, 1);
        deployments.delete(ALICE, name);
        assertThat(backend.processes(name)).isEmpty();
    }

    @Test
    void reportsARuntimeThatCannotStartAsFailedWithItsOutput() {
        String model = versions.digits(ALICE);
        String name = "broken-" + System.nanoTime() % 100_000;
        // the runtime refuses an unknown processing value at start, every time
        DeploymentSpec spec = new DeploymentSpec(name, model, "1.0", DeploymentTarget.LOCAL, "default", 1, 1,
                ScaleMetric.INFLIGHT, 1, 0, Resources.DEFAULT, DesiredState.RUNNING);
        RuntimeSpec runtime = new RuntimeSpec(model, "1.0", "TORCHSCRIPT", "0".repeat(64), "digits.pt", null, null,
                java.util.Map.of(), "token");
        LocalBackend isolated = new LocalBackend(new DeployerProperties.Local(Path.of(System.getProperty(
                "modelward.runtime.jar")), Path.of("target/broken"), Duration.ofSeconds(60), 2, Duration.ofSeconds(1)),
                Path.of("target/broken"), sha -> ApprovedVersions.DIGITS.resolve("digits.pt"), () -> { });
        try {
            await().untilAsserted(() -> {
                Observation observed = isolated.reconcile(new DeploymentPlan(spec, runtime, 1));
                isolated.processes(name).forEach(seen::add);
                assertThat(observed.state()).isEqualTo(ObservedState.FAILED);
                assertThat(observed.message()).contains("crashed 2 times in a row").contains("SHA-256");
            });
        }
        finally {
            isolated.close();
        }
    }

    private String classify(String name, String model) throws Exception {
        URI endpoint = backend.readyEndpoints(deployments.view(name).spec()).getFirst();
        HttpResponse<String> response = post(endpoint.resolve("/v1/models/" + model + ":classify"),
                tokens.tokenFor(name));
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return response.body().replace(" ", "");
    }

    private static HttpResponse<String> post(URI uri, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).header("Content-Type", "image/png")
                .POST(HttpRequest.BodyPublishers.ofFile(ApprovedVersions.DIGITS.resolve("test-images/000-9.png")));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private ProcessHandle only(String name) {
        List<ProcessHandle> processes = backend.processes(name);
        assertThat(processes).hasSize(1);
        return processes.getFirst();
    }

    private void awaitState(String name, ObservedState state, int ready) {
        await().untilAsserted(() -> {
            backend.processes(name).forEach(p -> {
                if (!seen.contains(p)) {
                    seen.add(p);
                }
            });
            DeploymentView view = deployments.view(name);
            assertThat(view.status()).as(view.message()).isEqualTo(state);
            assertThat(view.readyReplicas()).isEqualTo(ready);
        });
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(100));
    }
}
