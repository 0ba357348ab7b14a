package io.modelward.deployer;

/** One problem of a deployment request: the field it concerns ({@code name}, {@code maxReplicas}, ...) and why. */
public record SpecProblem(String field, String message) {
}
