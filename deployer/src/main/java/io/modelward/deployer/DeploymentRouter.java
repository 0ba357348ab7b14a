package io.modelward.deployer;

import java.net.URI;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * How the gateway finds where a model answers: the deployment of a model (and version, when the caller names one),
 * and a ready replica of it, waking the deployment first when it was scaled to zero.
 */
@Component
public class DeploymentRouter {

    private final DeploymentRepository deployments;
    private final RuntimeSpecs runtimes;
    private final Reconciler reconciler;
    /**
     * Resolutions of the last second: a busy gateway asks the database once a second per model, not per request. When
     * one is older, the first request to notice looks it up again while the others go on with it until that is done,
     * so the requests in flight do not all query at once.
     */
    private final java.util.Map<String, Cached> recent = new java.util.concurrent.ConcurrentHashMap<>();
    private static final long CACHE_NANOS = 1_000_000_000L;

    private record Cached(Optional<Target> target, long at, AtomicBoolean refreshing) {
    }

    DeploymentRouter(DeploymentRepository deployments, RuntimeSpecs runtimes, Reconciler reconciler) {
        this.deployments = deployments;
        this.runtimes = runtimes;
        this.reconciler = reconciler;
    }

    /** A deployment the gateway sends to: its spec, what its replicas run (token, artifact) and its status. */
    public record Target(DeploymentSpec spec, RuntimeSpec runtime, ObservedState status) {

        public String name() {
            return spec.name();
        }

        public boolean stopped() {
            return spec.desiredState() == DesiredState.STOPPED;
        }
    }

    /**
     * The deployment serving a model: of the named version when given, else of any version; running ones before
     * stopped ones, then ready before waking or starting, then the newest.
     */
    public Optional<Target> resolve(String model, @Nullable String version) {
        String key = model + "\u0000" + (version == null ? "" : version);
        long now = System.nanoTime();
        Cached cached = recent.get(key);
        if (cached != null && (now - cached.at() < CACHE_NANOS || !cached.refreshing().compareAndSet(false, true))) {
            return cached.target();
        }
        try {
            Optional<Target> target = lookUp(model, version);
            recent.put(key, new Cached(target, System.nanoTime(), new AtomicBoolean()));
            return target;
        }
        finally {
            if (cached != null) {
                // after a failed look-up the next request tries again
                cached.refreshing().set(false);
            }
        }
    }

    private Optional<Target> lookUp(String model, @Nullable String version) {
        List<DeploymentRepository.Row> rows = deployments.findAll().stream()
                .filter(row -> row.spec().model().equals(model))
                .filter(row -> version == null || row.spec().version().equals(version))
                .sorted(Comparator.<DeploymentRepository.Row>comparingInt(row -> rank(row))
                        .thenComparing(DeploymentRepository.Row::createdAt, Comparator.reverseOrder()))
                .toList();
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        DeploymentRepository.Row row = rows.getFirst();
        return Optional.of(new Target(row.spec(), runtimes.forDeployment(row.spec()), row.status()));
    }

    /** A ready replica's base URL now, or after waking the deployment (completes exceptionally on timeout). */
    public CompletableFuture<URI> endpoint(Target target, Duration activationTimeout) {
        Optional<URI> ready = reconciler.endpoint(target.spec());
        if (ready.isPresent()) {
            return CompletableFuture.completedFuture(ready.get());
        }
        return reconciler.activate(target.name(), activationTimeout)
                .thenApply(done -> reconciler.endpoint(target.name()).orElseThrow(() -> new IllegalStateException(
                        "deployment " + target.name() + " was ready and is gone again")));
    }

    private static int rank(DeploymentRepository.Row row) {
        if (row.spec().desiredState() == DesiredState.STOPPED) {
            return 3;
        }
        return switch (row.status()) {
            case READY -> 0;
            case SCALED_TO_ZERO, PROGRESSING, DEGRADED -> 1;
            default -> 2;
        };
    }
}
