package io.modelward.deployer;

/**
 * What a backend should make true now.
 *
 * @param spec the deployment as people asked for it
 * @param runtime what each replica runs
 * @param replicas how many replicas should run now: 0 when stopped or scaled to zero; otherwise between min and max
 *        (the local backend's autoscaler decides; on Kubernetes the HPA owns the count and this only says
 *        "zero" or "at least min")
 */
public record DeploymentPlan(DeploymentSpec spec, RuntimeSpec runtime, int replicas) {
}
