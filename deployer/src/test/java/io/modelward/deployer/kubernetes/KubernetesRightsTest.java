package io.modelward.deployer.kubernetes;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.modelward.deployer.DeploymentSpec;
import org.junit.jupiter.api.Test;

/**
 * The rights the backend needs are exactly {@link KubernetesRights#RULES}: every code path (create, repair drift,
 * scale, scale to zero, watch, wait for readiness, delete) against a recording API server makes only requests the
 * rules allow, and every rule is used. The Helm chart's Role is checked against the same list.
 */
@EnableKubernetesMockClient(crud = true)
class KubernetesRightsTest {

    private static final Pattern PATH = Pattern.compile(
            "/(?:api/v1|apis/(?<group>[^/]+)/[^/]+)/namespaces/[^/]+/(?<resource>[^/?]+)(?<name>/[^/?]+)?(?<query>\\?.*)?");

    static KubernetesClient client;
    static KubernetesMockServer server;

    @Test
    void usesExactlyTheRightsTheRoleGrants() throws Exception {
        String ns = "rights";
        Map<String, Set<String>> used = new TreeMap<>();
        try (KubernetesBackend backend = new KubernetesBackend(client, TestPlans.SETTINGS)) {
            DeploymentSpec spec = TestPlans.spec(ns, "digits", 2);
            backend.reconcile(TestPlans.plan(spec, 2));
            record(used);
            // someone else changes every object: the next pass puts them back
            client.services().inNamespace(ns).withName("digits").edit(s -> {
                s.getSpec().getPorts().getFirst().setPort(81);
                return s;
            });
            client.secrets().inNamespace(ns).withName("digits-tokens").edit(s -> {
                s.getData().replaceAll((key, value) -> "dGFtcGVyZWQ=");
                return s;
            });
            client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("digits").edit(h -> {
                h.getSpec().setMaxReplicas(40);
                return h;
            });
            client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("digits").edit(p -> {
                p.getSpec().setMaxUnavailable(new io.fabric8.kubernetes.api.model.IntOrString(3));
                p.getSpec().setMinAvailable(null);
                return p;
            });
            record(new TreeMap<>()); // the test's own edits, not the backend's
            backend.reconcile(TestPlans.plan(spec, 2));
            backend.reconcile(TestPlans.plan(spec, 0));
            backend.observe(spec);
            backend.readyEndpoints(spec);
            backend.awaitReady(spec, Duration.ofMillis(200)).exceptionally(timeout -> null).join();
            backend.delete(spec);
        }
        record(used);
        Map<String, Set<String>> granted = new TreeMap<>();
        KubernetesRights.RULES.forEach(rule -> granted.put(rule.apiGroup() + "/" + rule.resource(),
                new TreeSet<>(rule.verbs())));
        assertThat(used).isEqualTo(granted);
    }

    /** Takes every request the server has seen since the last call, as resource to verbs. */
    private static void record(Map<String, Set<String>> used) throws InterruptedException {
        RecordedRequest request;
        while ((request = server.takeRequest(100, TimeUnit.MILLISECONDS)) != null) {
            Matcher path = PATH.matcher(request.getPath());
            assertThat(path.matches()).as("a namespaced request: " + request.getRequestLine()).isTrue();
            String group = path.group("group") == null ? "" : path.group("group");
            used.computeIfAbsent(group + "/" + path.group("resource"), k -> new TreeSet<>())
                    .add(verb(request.getMethod(), path.group("name") != null, path.group("query")));
        }
    }

    private static String verb(String method, boolean named, String query) {
        return switch (method) {
            case "GET" -> named ? "get" : query != null && query.contains("watch=true") ? "watch" : "list";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> named ? "delete" : "deletecollection";
            default -> throw new IllegalStateException("Unexpected request method " + method);
        };
    }
}
