package io.modelward.deployer;

/** What people want of a deployment. */
public enum DesiredState {
    RUNNING,
    STOPPED
}
