package io.modelward.deployer;

import org.jspecify.annotations.Nullable;

/**
 * What a backend sees of one deployment.
 *
 * @param state the observed state
 * @param readyReplicas replicas answering their readiness probe
 * @param desiredReplicas replicas the backend is running towards
 * @param endpoint where the deployment answers (a Service URL, or the first local replica), if anywhere
 * @param message why, in a sentence, when not plainly READY
 */
public record Observation(ObservedState state, int readyReplicas, int desiredReplicas, @Nullable String endpoint,
        String message) {
}
