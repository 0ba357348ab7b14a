package io.modelward.deployer;

/**
 * What people want of a deployment: which approved model version, where, how many replicas and how they scale.
 *
 * @param name DNS-1123 label, unique: the Kubernetes object names and {@code modelward.io/deployment}
 * @param model the catalog model's name
 * @param version the model version's label
 * @param target where it runs
 * @param namespace the Kubernetes namespace (ignored by the local backend)
 * @param minReplicas the fewest replicas while active (at least 1)
 * @param maxReplicas the most replicas
 * @param metric what the autoscaler watches
 * @param scaleTarget CPU percent, or requests in flight per replica
 * @param idleSeconds after how long without requests it scales to zero; 0 never
 * @param resources per replica
 * @param desiredState running or stopped
 */
public record DeploymentSpec(String name, String model, String version, DeploymentTarget target, String namespace,
        int minReplicas, int maxReplicas, ScaleMetric metric, int scaleTarget, int idleSeconds, Resources resources,
        DesiredState desiredState) {
}
