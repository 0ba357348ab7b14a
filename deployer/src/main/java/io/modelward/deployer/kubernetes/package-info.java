/**
 * The Kubernetes backend: each deployment becomes a Deployment of the inference runtime with its Service, Secret,
 * HorizontalPodAutoscaler and (from two replicas) PodDisruptionBudget, built by pure functions, created or updated
 * only on a real difference, and never touching objects ModelWard did not create.
 */
@NullMarked
package io.modelward.deployer.kubernetes;

import org.jspecify.annotations.NullMarked;
