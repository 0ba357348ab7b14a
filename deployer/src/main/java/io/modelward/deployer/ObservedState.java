package io.modelward.deployer;

/** What a backend sees of a deployment. */
public enum ObservedState {
    /** Accepted, nothing running yet. */
    PENDING,
    /** Replicas are starting or a rollout is under way. */
    PROGRESSING,
    /** At least the wanted replicas are ready and answering. */
    READY,
    /** Idle for longer than its idle time: no replicas until the next request activates it. */
    SCALED_TO_ZERO,
    /** Running, but below what was asked for, or a rollout is stuck (the message says why). */
    DEGRADED,
    /** Cannot run (repeated crashes, refused objects); the message says why. */
    FAILED,
    /** Stopped on purpose. */
    STOPPED
}
