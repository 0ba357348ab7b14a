package io.modelward.deployer;

import static io.modelward.deployer.ApprovedVersions.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * The Kubernetes path as the portal runs it: the service records a deployment, the reconciler hands it to the
 * Kubernetes backend, which creates the objects through the API (fabric8's mock server in CRUD mode); the test plays
 * the kubelet by writing Deployment status, and the observed status reaches the database.
 */
@SpringBootTest(properties = { "modelward.deployer.kubernetes.enabled=true",
        "modelward.deployer.kubernetes.artifact-base-url=http://modelward-portal.modelward.svc/internal/artifacts" })
@Import(KubernetesDeploymentTest.MockCluster.class)
class KubernetesDeploymentTest {

    @TestConfiguration(proxyBeanMethods = false)
    static class MockCluster {

        @Bean(destroyMethod = "destroy")
        KubernetesMockServer kubernetesMockServer() {
            KubernetesMockServer server = new KubernetesMockServer(new Context(), new MockWebServer(), new HashMap<>(),
                    new KubernetesCrudDispatcher(List.of()), false);
            server.init();
            return server;
        }

        @Bean(destroyMethod = "close")
        KubernetesClient kubernetesClient(KubernetesMockServer server) {
            return server.createClient();
        }
    }

    @Autowired
    DeploymentService deployments;

    @Autowired
    ApprovedVersions versions;

    @Autowired
    KubernetesClient cluster;

    @Autowired
    InternalTokens tokens;

    @Test
    void deploysToTheClusterReportsItsStatusStopsAndDeletesIt() {
        String model = versions.digits(ALICE);
        String name = "k8s-" + System.nanoTime() % 100_000;
        deployments.create(ALICE, new CreateDeployment(name, model, "1.0", DeploymentTarget.KUBERNETES, "models", 2, 4,
                ScaleMetric.CPU, 60, 0, null, null, null, null));

        await().until(() -> deployment(name) != null);
        Deployment created = deployment(name);
        assertThat(created.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "modelward")
                .containsEntry("modelward.io/deployment", name).containsEntry("modelward.io/model", model);
        assertThat(created.getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs())
                .anyMatch(arg -> arg.startsWith("--model-uri=http://modelward-portal.modelward.svc/internal/artifacts/"))
                .noneMatch(arg -> arg.contains(tokens.tokenFor(name)));
        await().untilAsserted(() -> {
            assertThat(cluster.services().inNamespace("models").withName(name).get()).isNotNull();
            HorizontalPodAutoscaler hpa = cluster.autoscaling().v2().horizontalPodAutoscalers().inNamespace("models")
                    .withName(name).get();
            assertThat(hpa).as("the HPA").isNotNull();
            assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(4);
            assertThat(cluster.policy().v1().podDisruptionBudget().inNamespace("models").withName(name).get())
                    .as("min 2 gets a disruption budget").isNotNull();
        });
        assertThat(deployments.view(name).status()).isIn(ObservedState.PENDING, ObservedState.PROGRESSING);

        kubelet(name, 2);
        await().untilAsserted(() -> {
            DeploymentView view = deployments.view(name);
            assertThat(view.status()).as(view.message()).isEqualTo(ObservedState.READY);
            assertThat(view.readyReplicas()).isEqualTo(2);
            assertThat(view.endpoint()).isEqualTo("http://" + name + ".models.svc:80");
        });

        deployments.stop(ALICE, name);
        await().untilAsserted(() -> assertThat(deployment(name).getSpec().getReplicas()).isZero());
        kubelet(name, 0);
        await().untilAsserted(() -> assertThat(deployments.view(name).status()).isEqualTo(ObservedState.STOPPED));

        deployments.delete(ALICE, name);
        await().untilAsserted(() -> {
            assertThat(deployment(name)).isNull();
            assertThat(cluster.services().inNamespace("models").withName(name).get()).isNull();
        });
    }

    private Deployment deployment(String name) {
        return cluster.apps().deployments().inNamespace("models").withName(name).get();
    }

    private void kubelet(String name, int ready) {
        cluster.apps().deployments().inNamespace("models").withName(name).editStatus(d -> new DeploymentBuilder(d)
                .withNewStatus()
                    .withObservedGeneration(d.getMetadata().getGeneration())
                    .withReplicas(d.getSpec().getReplicas())
                    .withUpdatedReplicas(d.getSpec().getReplicas())
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .withConditions(new DeploymentConditionBuilder().withType("Available").withStatus("True")
                            .withReason("MinimumReplicasAvailable").withMessage("Deployment has minimum availability.")
                            .build())
                .endStatus()
                .build());
    }

    private static ConditionFactory await() {
        return Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100));
    }
}
