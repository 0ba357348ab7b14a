package io.modelward.deployer;

import java.time.Instant;

/** Something that happened to a deployment: an action by someone, or a change the reconciler saw. */
public record DeploymentEvent(Instant at, String actor, String kind, String message) {
}
