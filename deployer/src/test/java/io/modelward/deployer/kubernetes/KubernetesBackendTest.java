package io.modelward.deployer.kubernetes;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.modelward.deployer.DeploymentPlan;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.Observation;
import io.modelward.deployer.ObservedState;
import io.modelward.deployer.Resources;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.modelward.deployer.kubernetes.TestPlans.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@EnableKubernetesMockClient(crud = true)
class KubernetesBackendTest {

    private static final AtomicInteger NAMESPACES = new AtomicInteger();
    private static final Duration PATIENCE = Duration.ofSeconds(10);

    static KubernetesClient client;
    static KubernetesMockServer server;

    private final String ns = "ward-" + NAMESPACES.incrementAndGet();
    private KubernetesBackend backend;

    @BeforeEach
    void startBackend() {
        backend = new KubernetesBackend(client, SETTINGS);
    }

    @AfterEach
    void closeBackend() {
        backend.close();
    }

    @Test
    void createsEveryObjectWithTheManagedByLabelAndOwnerReferences() {
        Observation seen = backend.reconcile(TestPlans.plan(ns, "digits", 2));

        assertThat(seen.state()).isEqualTo(ObservedState.PROGRESSING);
        Deployment deployment = deployment("digits");
        assertThat(deployment.getSpec().getReplicas()).isEqualTo(2);
        List<HasMetadata> dependents = List.of(client.services().inNamespace(ns).withName("digits").get(),
                client.secrets().inNamespace(ns).withName("digits-tokens").get(),
                client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("digits").get(),
                client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("digits").get());
        assertThat(dependents).allSatisfy(object -> {
            assertThat(object.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "modelward")
                    .containsEntry("modelward.io/deployment", "digits");
            assertThat(object.getMetadata().getOwnerReferences()).singleElement()
                    .satisfies(owner -> assertThat(owner.getUid()).isEqualTo(deployment.getMetadata().getUid()));
        });
        assertThat(deployment.getMetadata().getLabels()).containsEntry("app.kubernetes.io/managed-by", "modelward");
    }

    @Test
    void reconcilingTheSamePlanAgainUpdatesNothing() {
        DeploymentPlan plan = TestPlans.plan(ns, "digits", 2);
        backend.reconcile(plan);
        Map<String, String> before = resourceVersions("digits");

        backend.reconcile(plan);

        assertThat(resourceVersions("digits")).isEqualTo(before).hasSize(5);
    }

    @Test
    void aChangedPlanUpdatesOnlyWhatChanged() {
        DeploymentSpec spec = TestPlans.spec(ns, "digits", 2);
        backend.reconcile(TestPlans.plan(spec, 2));
        Map<String, String> before = resourceVersions("digits");

        DeploymentSpec bigger = new DeploymentSpec(spec.name(), spec.model(), spec.version(), spec.target(),
                spec.namespace(), 2, 4, spec.metric(), 70, 300, new Resources("1", "4", "1Gi", "4Gi"),
                spec.desiredState());
        backend.reconcile(TestPlans.plan(bigger, 2));

        Map<String, String> after = resourceVersions("digits");
        assertThat(after.get("Deployment")).isNotEqualTo(before.get("Deployment"));
        assertThat(after).containsAllEntriesOf(Map.of("Service", before.get("Service"), "Secret",
                before.get("Secret"), "HorizontalPodAutoscaler", before.get("HorizontalPodAutoscaler"),
                "PodDisruptionBudget", before.get("PodDisruptionBudget")));
        assertThat(deployment("digits").getSpec().getTemplate().getSpec().getContainers().getFirst().getArgs())
                .contains("--workers=4");
    }

    @Test
    void aForeignServiceWithTheSameNameIsLeftAloneAndReported() {
        Service foreign = client.services().inNamespace(ns).resource(new ServiceBuilder()
                .withNewMetadata().withName("digits").endMetadata()
                .withNewSpec().addToSelector("app", "billing").addNewPort().withPort(443).endPort().endSpec()
                .build()).create();

        Observation seen = backend.reconcile(TestPlans.plan(ns, "digits", 1));

        assertThat(seen.state()).isEqualTo(ObservedState.FAILED);
        assertThat(seen.message()).isEqualTo("Service 'digits' exists and is not managed by ModelWard; left alone.");
        Service after = client.services().inNamespace(ns).withName("digits").get();
        assertThat(after.getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
        assertThat(after.getMetadata().getLabels()).isNullOrEmpty();
        assertThat(client.apps().deployments().inNamespace(ns).withName("digits").get()).isNull();
        assertThat(backend.readyEndpoints(TestPlans.spec(ns, "digits", 1))).isEmpty();
    }

    @Test
    void aForeignAutoscalerIsLeftAloneAndDegradesTheDeployment() {
        HorizontalPodAutoscaler foreign = client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns)
                .resource(new HorizontalPodAutoscalerBuilder().withNewMetadata().withName("digits").endMetadata()
                        .withNewSpec().withMaxReplicas(9).withNewScaleTargetRef().withKind("Deployment")
                        .withName("other").endScaleTargetRef().endSpec().build())
                .create();

        Observation seen = backend.reconcile(TestPlans.plan(ns, "digits", 1));

        assertThat(seen.state()).isEqualTo(ObservedState.DEGRADED);
        assertThat(seen.message()).endsWith(
                "HorizontalPodAutoscaler 'digits' exists and is not managed by ModelWard; left alone.");
        assertThat(client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName("digits").get()
                .getMetadata().getResourceVersion()).isEqualTo(foreign.getMetadata().getResourceVersion());
        assertThat(deployment("digits")).isNotNull();
    }

    @Test
    void reportsReadyOnceTheInformerSeesReadyReplicas() {
        DeploymentSpec spec = TestPlans.spec(ns, "digits", 2);
        backend.reconcile(TestPlans.plan(spec, 2));
        assertThat(backend.readyEndpoints(spec)).isEmpty();

        kubelet("digits", 2, condition("Available", "True", "MinimumReplicasAvailable", "Deployment is available."));

        await().atMost(PATIENCE).until(() -> backend.observe(spec).state() == ObservedState.READY);
        assertThat(backend.observe(spec)).isEqualTo(new Observation(ObservedState.READY, 2, 2,
                "http://digits." + ns + ".svc:80", "2 of 2 replicas ready."));
        assertThat(backend.readyEndpoints(spec)).containsExactly(URI.create("http://digits." + ns + ".svc:80"));
    }

    @Test
    void aStuckRolloutIsDegradedWithTheClustersMessage() {
        DeploymentSpec spec = TestPlans.spec(ns, "digits", 1);
        backend.reconcile(TestPlans.plan(spec, 1));

        kubelet("digits", 0, condition("Progressing", "False", "ProgressDeadlineExceeded",
                "ReplicaSet \"digits-7c5d\" has timed out progressing."));

        await().atMost(PATIENCE).until(() -> backend.observe(spec).state() == ObservedState.DEGRADED);
        assertThat(backend.observe(spec).message())
                .isEqualTo("The rollout is stuck: ReplicaSet \"digits-7c5d\" has timed out progressing.");
        assertThat(backend.reconcile(TestPlans.plan(spec, 1)).state()).isEqualTo(ObservedState.DEGRADED);
    }

    @Test
    void leavesTheReplicaCountToTheAutoscalerWhileActive() {
        DeploymentSpec spec = TestPlans.spec(ns, "digits", 2);
        backend.reconcile(TestPlans.plan(spec, 2));
        client.apps().deployments().inNamespace(ns).withName("digits").scale(4);

        backend.reconcile(TestPlans.plan(spec, 2));

        assertThat(deployment("digits").getSpec().getReplicas()).isEqualTo(4);
    }

    @Test
    void scalesToZeroAndActivationBringsBackTheMinimum() {
        DeploymentSpec spec = TestPlans.spec(ns, "digits", 2);
        backend.reconcile(TestPlans.plan(spec, 2));

        Observation idle = backend.reconcile(TestPlans.plan(spec, 0));

        assertThat(deployment("digits").getSpec().getReplicas()).isZero();
        assertThat(idle.state()).isEqualTo(ObservedState.SCALED_TO_ZERO);
        await().atMost(PATIENCE).until(() -> backend.observe(spec).state() == ObservedState.SCALED_TO_ZERO);
        CompletableFuture<Void> ready = backend.awaitReady(spec, Duration.ofMinutes(1));
        assertThat(ready).isNotDone();

        backend.reconcile(TestPlans.plan(spec, 1));

        assertThat(deployment("digits").getSpec().getReplicas()).isEqualTo(2);
        assertThat(ready).isNotDone();
        kubelet("digits", 1, condition("Available", "False", "MinimumReplicasUnavailable", "1 of 2 ready."));
        assertThat(ready).succeedsWithin(PATIENCE);
    }

    @Test
    void awaitingReadinessGivesUpAfterItsTimeout() {
        DeploymentSpec spec = TestPlans.spec(ns, "digits", 1);
        backend.reconcile(TestPlans.plan(spec, 1));

        CompletableFuture<Void> ready = backend.awaitReady(spec, Duration.ofMillis(50));

        assertThat(ready).failsWithin(PATIENCE).withThrowableThat().havingCause()
                .isInstanceOf(TimeoutException.class);
    }

    @Test
    void deleteRemovesWhatModelWardCreatedAndNothingElse() {
        DeploymentSpec spec = TestPlans.spec(ns, "digits", 1);
        client.policy().v1().podDisruptionBudget().inNamespace(ns).resource(new PodDisruptionBudgetBuilder()
                .withNewMetadata().withName("digits").endMetadata()
                .withNewSpec().withMinAvailable(new IntOrString(1)).endSpec().build()).create();
        backend.reconcile(TestPlans.plan(spec, 1));
        backend.reconcile(TestPlans.plan(TestPlans.spec(ns, "other", 1), 1));
        client.services().inNamespace(ns).resource(new ServiceBuilder()
                .withNewMetadata().withName("billing").addToLabels("modelward.io/deployment", "digits").endMetadata()
                .withNewSpec().addNewPort().withPort(80).endPort().endSpec().build()).create();

        backend.delete(spec);

        assertThat(resourceVersions("digits")).containsOnlyKeys("PodDisruptionBudget");
        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("digits").get()
                .getMetadata().getLabels()).isNullOrEmpty();
        assertThat(client.services().inNamespace(ns).withName("billing").get()).isNotNull();
        assertThat(resourceVersions("other")).containsOnlyKeys("Deployment", "Service", "Secret",
                "HorizontalPodAutoscaler");
    }

    @Test
    void aBudgetIsRemovedWhenTheMinimumDropsBelowTwo() {
        backend.reconcile(TestPlans.plan(ns, "digits", 2));

        backend.reconcile(TestPlans.plan(ns, "digits", 1));

        assertThat(client.policy().v1().podDisruptionBudget().inNamespace(ns).withName("digits").get()).isNull();
    }

    @Test
    void anApiRefusalIsReportedAsFailedInsteadOfThrown() {
        server.expect().post().withPath("/apis/apps/v1/namespaces/" + ns + "/deployments")
                .andReturn(403, new StatusBuilder().withCode(403)
                        .withMessage("deployments.apps is forbidden: User \"modelward\" cannot create resource")
                        .build())
                .once();

        Observation seen = backend.reconcile(TestPlans.plan(ns, "digits", 1));

        assertThat(seen.state()).isEqualTo(ObservedState.FAILED);
        assertThat(seen.message()).startsWith("Could not create Deployment 'digits' in namespace '" + ns + "': ")
                .contains("is forbidden", "(HTTP 403)");
    }

    private Deployment deployment(String name) {
        return client.apps().deployments().inNamespace(ns).withName(name).get();
    }

    /** Plays the kubelet and the Deployment controller: writes the status the cluster would. */
    private void kubelet(String name, int ready, DeploymentCondition condition) {
        client.apps().deployments().inNamespace(ns).withName(name).editStatus(d -> new DeploymentBuilder(d)
                .withNewStatus()
                    .withReplicas(d.getSpec().getReplicas())
                    .withUpdatedReplicas(d.getSpec().getReplicas())
                    .withReadyReplicas(ready)
                    .withAvailableReplicas(ready)
                    .withConditions(condition)
                .endStatus()
                .build());
    }

    private static DeploymentCondition condition(String type, String status, String reason, String message) {
        return new DeploymentConditionBuilder().withType(type).withStatus(status).withReason(reason)
                .withMessage(message).build();
    }

    /** The resourceVersion of each of the deployment's objects that exists, by kind. */
    private Map<String, String> resourceVersions(String name) {
        Map<String, String> versions = new TreeMap<>();
        Stream.of(client.apps().deployments().inNamespace(ns).withName(name).get(),
                        client.services().inNamespace(ns).withName(name).get(),
                        client.secrets().inNamespace(ns).withName(name + "-tokens").get(),
                        client.autoscaling().v2().horizontalPodAutoscalers().inNamespace(ns).withName(name).get(),
                        client.policy().v1().podDisruptionBudget().inNamespace(ns).withName(name).get())
                .filter(Objects::nonNull)
                .forEach(object -> versions.put(object.getKind(), object.getMetadata().getResourceVersion()));
        return versions;
    }
}
