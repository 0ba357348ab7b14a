/**
 * Deployments of approved model versions: desired against observed state, with a Kubernetes backend (fabric8) and a
 * local-process backend. Built in its own issue; this module holds its place in the build until then.
 */
@NullMarked
package io.modelward.deployer;

import org.jspecify.annotations.NullMarked;
