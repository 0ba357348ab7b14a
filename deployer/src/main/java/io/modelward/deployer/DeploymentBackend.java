package io.modelward.deployer;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Runs deployments somewhere. The reconciler calls {@link #reconcile} for every deployment on each pass, with the
 * replicas it wants now; implementations make it so without duplicating work (create what is missing, update only on a
 * real difference, never touch what they did not create) and report what they see.
 */
public interface DeploymentBackend {

    DeploymentTarget target();

    /** Makes the plan true, idempotently, and reports what is running. */
    Observation reconcile(DeploymentPlan plan);

    /** Removes exactly what this backend created for the deployment. */
    void delete(DeploymentSpec spec);

    /** Base URLs of the deployment's ready replicas (or its Service), for the gateway to send requests to. */
    List<URI> readyEndpoints(DeploymentSpec spec);

    /** Completes when at least one replica of the deployment is ready (after an activation), or fails on timeout. */
    CompletableFuture<Void> awaitReady(DeploymentSpec spec, Duration timeout);
}
