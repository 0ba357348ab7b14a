package io.modelward.deployer.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentConditionBuilder;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.DesiredState;
import io.modelward.deployer.Observation;
import io.modelward.deployer.ObservedState;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class KubernetesStatusTest {

    private static final DeploymentSpec SPEC = TestPlans.spec("wards", "digits-prod", 2);

    @Test
    void aDeploymentNotYetSeenIsPending() {
        assertThat(KubernetesStatus.observe(SPEC, null).state()).isEqualTo(ObservedState.PENDING);
    }

    @ParameterizedTest
    @CsvSource({"RUNNING, SCALED_TO_ZERO", "STOPPED, STOPPED"})
    void zeroReplicasAreScaledToZeroUnlessStoppedOnPurpose(DesiredState desired, ObservedState expected) {
        DeploymentSpec spec = new DeploymentSpec(SPEC.name(), SPEC.model(), SPEC.version(), SPEC.target(),
                SPEC.namespace(), 2, 4, SPEC.metric(), 70, 300, SPEC.resources(), desired);

        Observation seen = KubernetesStatus.observe(spec, deployment(0, 0, 0, available("True")));

        assertThat(seen.state()).isEqualTo(expected);
        assertThat(seen.endpoint()).isNull();
    }

    @Test
    void allReplicasReadyAndAvailableIsReadyWithTheServiceUrl() {
        Observation seen = KubernetesStatus.observe(SPEC, deployment(2, 2, 2, available("True")));

        assertThat(seen).isEqualTo(new Observation(ObservedState.READY, 2, 2, "http://digits-prod.wards.svc:80",
                "2 of 2 replicas ready."));
    }

    @Test
    void aStuckRolloutIsDegradedWithTheClustersMessage() {
        DeploymentCondition stuck = new DeploymentConditionBuilder().withType("Progressing").withStatus("False")
                .withReason("ProgressDeadlineExceeded")
                .withMessage("ReplicaSet \"digits-prod-5d9c\" has timed out progressing.").build();

        Observation seen = KubernetesStatus.observe(SPEC, deployment(2, 2, 1, available("True"), stuck));

        assertThat(seen.state()).isEqualTo(ObservedState.DEGRADED);
        assertThat(seen.message()).isEqualTo(
                "The rollout is stuck: ReplicaSet \"digits-prod-5d9c\" has timed out progressing.");
        assertThat(seen.endpoint()).isEqualTo("http://digits-prod.wards.svc:80");
    }

    @ParameterizedTest
    @CsvSource({"0, FAILED", "1, DEGRADED"})
    void refusedReplicasFailOrDegradeByWhatStillRuns(int ready, ObservedState expected) {
        DeploymentCondition refused = new DeploymentConditionBuilder().withType("ReplicaFailure").withStatus("True")
                .withReason("FailedCreate").withMessage("pods \"digits-prod-x\" is forbidden: exceeded quota").build();

        Observation seen = KubernetesStatus.observe(SPEC, deployment(2, ready, 2, available("False"), refused));

        assertThat(seen.state()).isEqualTo(expected);
        assertThat(seen.message()).contains("exceeded quota");
    }

    @ParameterizedTest
    @CsvSource({
            "0, 0, False, 0 of 2 replicas ready.",
            "1, 2, False, 1 of 2 replicas ready.",
            "2, 1, True,  Rolling out: 1 of 2 replicas updated."})
    void anythingShortOfThatIsProgressing(int ready, int updated, String available, String message) {
        Observation seen = KubernetesStatus.observe(SPEC, deployment(2, ready, updated, available(available)));

        assertThat(seen.state()).isEqualTo(ObservedState.PROGRESSING);
        assertThat(seen.message()).isEqualTo(message);
    }

    @Test
    void aChangeTheClusterHasNotObservedYetIsProgressing() {
        Deployment deployment = new DeploymentBuilder(deployment(2, 2, 2, available("True")))
                .editMetadata().withGeneration(3L).endMetadata()
                .editStatus().withObservedGeneration(2L).endStatus()
                .build();

        assertThat(KubernetesStatus.observe(SPEC, deployment).state()).isEqualTo(ObservedState.PROGRESSING);
    }

    @Test
    void aReadyReplicaIsWhatActivationWaitsFor() {
        assertThat(KubernetesStatus.hasReadyReplica(deployment(2, 0, 0, available("False")))).isFalse();
        assertThat(KubernetesStatus.hasReadyReplica(deployment(2, 1, 1, available("False")))).isTrue();
        assertThat(KubernetesStatus.hasReadyReplica(deployment(0, 1, 1, available("True")))).isFalse();
    }

    private static DeploymentCondition available(String status) {
        return new DeploymentConditionBuilder().withType("Available").withStatus(status).build();
    }

    private static Deployment deployment(int replicas, int ready, int updated, DeploymentCondition... conditions) {
        return new DeploymentBuilder()
                .withNewMetadata().withName("digits-prod").withNamespace("wards").endMetadata()
                .withNewSpec().withReplicas(replicas).endSpec()
                .withNewStatus()
                    .withReplicas(Math.max(replicas, ready))
                    .withReadyReplicas(ready)
                    .withUpdatedReplicas(updated)
                    .withConditions(List.of(conditions))
                .endStatus()
                .build();
    }
}
