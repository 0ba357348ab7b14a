package io.modelward.deployer;

/** What the autoscaler keeps near its target. */
public enum ScaleMetric {
    /** Average CPU utilisation of the replicas, in percent of their CPU request. */
    CPU,
    /** Requests in flight per replica. */
    INFLIGHT
}
