package io.modelward.deployer.kubernetes;

import java.util.List;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.DesiredState;
import io.modelward.deployer.Observation;
import io.modelward.deployer.ObservedState;
import org.jspecify.annotations.Nullable;

/** What a Deployment's spec and status say of a deployment, as the backend reports it. */
final class KubernetesStatus {

    private KubernetesStatus() {
    }

    static Observation observe(DeploymentSpec spec, @Nullable Deployment deployment) {
        if (deployment == null) {
            return new Observation(ObservedState.PENDING, 0, 0, null, "The Deployment does not exist yet.");
        }
        Integer specReplicas = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
        int wanted = specReplicas == null ? 1 : specReplicas;
        DeploymentStatus status = deployment.getStatus() == null ? new DeploymentStatus() : deployment.getStatus();
        int ready = count(status.getReadyReplicas());
        if (wanted == 0) {
            return spec.desiredState() == DesiredState.STOPPED
                    ? new Observation(ObservedState.STOPPED, ready, 0, null, "Stopped: no replicas run.")
                    : new Observation(ObservedState.SCALED_TO_ZERO, ready, 0, null,
                            "Scaled to zero while idle; the next request starts it.");
        }
        String endpoint = ready > 0 ? KubernetesObjects.endpoint(spec) : null;
        DeploymentCondition progressing = condition(status, "Progressing");
        if (progressing != null && "ProgressDeadlineExceeded".equals(progressing.getReason())) {
            return new Observation(ObservedState.DEGRADED, ready, wanted, endpoint,
                    "The rollout is stuck: " + text(progressing, "it made no progress before its deadline."));
        }
        DeploymentCondition failure = condition(status, "ReplicaFailure");
        if (failure != null && "True".equals(failure.getStatus())) {
            return new Observation(ready > 0 ? ObservedState.DEGRADED : ObservedState.FAILED, ready, wanted, endpoint,
                    "Replicas cannot be created: " + text(failure, "the cluster refused them."));
        }
        Long generation = deployment.getMetadata().getGeneration();
        Long observed = status.getObservedGeneration();
        if (generation != null && observed != null && observed < generation) {
            return new Observation(ObservedState.PROGRESSING, ready, wanted, endpoint,
                    "The change has not been picked up by the cluster yet.");
        }
        DeploymentCondition available = condition(status, "Available");
        if (ready >= wanted && available != null && "True".equals(available.getStatus())) {
            // enough replicas answer, but some may still run the previous version
            Integer updated = status.getUpdatedReplicas();
            return updated != null && updated < wanted
                    ? new Observation(ObservedState.PROGRESSING, ready, wanted, endpoint,
                            "Rolling out: " + updated + " of " + wanted + " replicas updated.")
                    : new Observation(ObservedState.READY, ready, wanted, endpoint,
                            ready + " of " + wanted + " replicas ready.");
        }
        return new Observation(ObservedState.PROGRESSING, ready, wanted, endpoint,
                ready + " of " + wanted + " replicas ready.");
    }

    static boolean hasReadyReplica(Deployment deployment) {
        Integer wanted = deployment.getSpec() == null ? null : deployment.getSpec().getReplicas();
        return (wanted == null || wanted > 0) && deployment.getStatus() != null
                && count(deployment.getStatus().getReadyReplicas()) > 0;
    }

    private static @Nullable DeploymentCondition condition(DeploymentStatus status, String type) {
        List<DeploymentCondition> conditions = status.getConditions();
        return conditions == null ? null
                : conditions.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    }

    private static String text(DeploymentCondition condition, String fallback) {
        String message = condition.getMessage();
        return message == null || message.isBlank() ? fallback : message;
    }

    private static int count(@Nullable Integer replicas) {
        return replicas == null ? 0 : replicas;
    }
}
