/**
 * Deployments of approved model versions: a spec (what people want), a plan (what runs now: the replicas, after
 * autoscaling and scale to zero) and an observation (what is running), reconciled by backends: Kubernetes through
 * the API (fabric8) or local runtime processes on one machine (the embedded default).
 */
@NullMarked
package io.modelward.deployer;

import org.jspecify.annotations.NullMarked;
