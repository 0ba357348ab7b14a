package io.modelward.deployer;

import org.jspecify.annotations.Nullable;

/**
 * A request to deploy an approved model version. Omitted fields take defaults: the configured target and namespace,
 * 1 to 1 replicas, CPU at 70 %, never scaled to zero, and {@link Resources#DEFAULT}.
 */
public record CreateDeployment(@Nullable String name, @Nullable String model, @Nullable String version,
        @Nullable DeploymentTarget target, @Nullable String namespace, @Nullable Integer minReplicas,
        @Nullable Integer maxReplicas, @Nullable ScaleMetric metric, @Nullable Integer scaleTarget,
        @Nullable Integer idleSeconds, @Nullable String cpuRequest, @Nullable String cpuLimit,
        @Nullable String memoryRequest, @Nullable String memoryLimit) {
}
