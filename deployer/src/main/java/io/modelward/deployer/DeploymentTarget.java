package io.modelward.deployer;

/** Where a deployment runs. */
public enum DeploymentTarget {
    /** Runtime processes on the portal's machine: the embedded default. */
    LOCAL,
    /** Runtime pods in a Kubernetes namespace, through the API. */
    KUBERNETES
}
