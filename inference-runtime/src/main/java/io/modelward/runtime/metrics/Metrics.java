package io.modelward.runtime.metrics;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * The runtime's metrics in the Prometheus text format: requests by endpoint and status code, request latency, time
 * spent queued, inference time, batch sizes, errors, queue depth and model load time.
 */
public final class Metrics {

    private static final double[] SECONDS = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10 };
    private static final double[] SIZES = { 1, 2, 4, 8, 16, 32, 64, 128 };

    private final String model;
    private final Map<String, LongAdder> requests = new ConcurrentHashMap<>();
    private final Map<String, Histogram> latency = new ConcurrentHashMap<>();
    private final Histogram queueTime = new Histogram(SECONDS);
    private final Histogram inferenceTime = new Histogram(SECONDS);
    private final Histogram batchSize = new Histogram(SIZES);
    private volatile double modelLoadSeconds = Double.NaN;
    private volatile IntSupplier queueDepth = () -> 0;
    private final java.util.concurrent.atomic.AtomicInteger inflight = new java.util.concurrent.atomic.AtomicInteger();

    public Metrics(String model) {
        this.model = model;
    }

    public void request(String endpoint, int status, long nanos) {
        requests.computeIfAbsent(endpoint + "\u0000" + status, k -> new LongAdder()).increment();
        latency.computeIfAbsent(endpoint, k -> new Histogram(SECONDS)).observe(nanos / 1e9);
    }

    /** A model request (not a probe or a scrape) begins; the autoscaler's in-flight metric counts it until it ends. */
    public void begin() {
        inflight.incrementAndGet();
    }

    public void end() {
        inflight.decrementAndGet();
    }

    public void batch(int size, long inferenceNanos) {
        batchSize.observe(size);
        inferenceTime.observe(inferenceNanos / 1e9);
    }

    public void queued(long queuedNanos) {
        queueTime.observe(queuedNanos / 1e9);
    }

    public void modelLoaded(long nanos) {
        modelLoadSeconds = nanos / 1e9;
    }

    public void queueDepth(IntSupplier depth) {
        this.queueDepth = depth;
    }

    public long batches() {
        return batchSize.count();
    }

    public String scrape() {
        StringBuilder out = new StringBuilder(4096);
        String m = "model=\"" + model + "\"";
        out.append("# HELP modelward_requests_total Requests by endpoint and HTTP status code.\n");
        out.append("# TYPE modelward_requests_total counter\n");
        new TreeMap<>(requests).forEach((key, count) -> {
            String[] parts = key.split("\u0000");
            out.append("modelward_requests_total{").append(m).append(",endpoint=\"").append(parts[0])
                    .append("\",code=\"").append(parts[1]).append("\"} ").append(count.sum()).append('\n');
        });
        out.append("# HELP modelward_request_duration_seconds Time from request to response.\n");
        out.append("# TYPE modelward_request_duration_seconds histogram\n");
        new TreeMap<>(latency).forEach((endpoint, h) -> h.write(out, "modelward_request_duration_seconds",
                m + ",endpoint=\"" + endpoint + "\""));
        out.append("# HELP modelward_queue_duration_seconds Time a request waited for a worker.\n");
        out.append("# TYPE modelward_queue_duration_seconds histogram\n");
        queueTime.write(out, "modelward_queue_duration_seconds", m);
        out.append("# HELP modelward_inference_duration_seconds Time the model took for one batch.\n");
        out.append("# TYPE modelward_inference_duration_seconds histogram\n");
        inferenceTime.write(out, "modelward_inference_duration_seconds", m);
        out.append("# HELP modelward_batch_size Requests served together in one batch.\n");
        out.append("# TYPE modelward_batch_size histogram\n");
        batchSize.write(out, "modelward_batch_size", m);
        out.append("# HELP modelward_inflight_requests Model requests being read, queued, run or answered.\n");
        out.append("# TYPE modelward_inflight_requests gauge\n");
        out.append("modelward_inflight_requests{").append(m).append("} ").append(inflight.get()).append('\n');
        out.append("# HELP modelward_queue_depth Requests waiting for a worker.\n");
        out.append("# TYPE modelward_queue_depth gauge\n");
        out.append("modelward_queue_depth{").append(m).append("} ").append(queueDepth.getAsInt()).append('\n');
        out.append("# HELP modelward_model_load_seconds Time to verify, load and warm up the model.\n");
        out.append("# TYPE modelward_model_load_seconds gauge\n");
        out.append("modelward_model_load_seconds{").append(m).append("} ")
                .append(Double.isNaN(modelLoadSeconds) ? "NaN" : Histogram.format(modelLoadSeconds)).append('\n');
        return out.toString();
    }
}
