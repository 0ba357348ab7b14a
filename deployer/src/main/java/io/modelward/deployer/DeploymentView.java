package io.modelward.deployer;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/** A deployment as people see it: what was asked for, who owns it, and what is running. */
public record DeploymentView(DeploymentSpec spec, String owner, Instant createdAt, ObservedState status,
        int readyReplicas, int desiredReplicas, @Nullable String endpoint, @Nullable String message,
        @Nullable Instant observedAt, List<DeploymentEvent> events) {

    public String name() {
        return spec.name();
    }
}
