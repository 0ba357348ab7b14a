package io.modelward.deployer;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import io.modelward.deployer.kubernetes.KubernetesBackend;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Makes every deployment's backend match its spec, on a single thread: on each pass (every
 * {@code reconcile-interval}, and at once after any change) it decides how many replicas each deployment should run
 * now (stopped or idle: zero; otherwise between min and max, by the autoscaling rule on the local backend; the HPA's
 * business on Kubernetes), hands the plan to the backend, and writes what the backend sees back to the database,
 * with an event whenever the state changes. Versions that were retired have their deployments stopped.
 */
@Component
public class Reconciler implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    static final String SYSTEM = "modelward";
    /** How often an unchanged plan is applied to the cluster again, to repair what someone else changed. */
    static final Duration KUBERNETES_RESYNC = Duration.ofSeconds(30);

    private final DeploymentRepository deployments;
    private final RuntimeSpecs runtimeSpecs;
    private final DeploymentTraffic traffic;
    private final TransactionTemplate transactions;
    private final DeployerProperties properties;
    private final Map<DeploymentTarget, DeploymentBackend> backends = new EnumMap<>(DeploymentTarget.class);
    private final Map<String, Scaling> scaling = new ConcurrentHashMap<>();
    private final Map<String, RuntimeSpec> runtimes = new ConcurrentHashMap<>();
    private final Map<String, Applied> applied = new ConcurrentHashMap<>();
    private final Map<String, java.util.concurrent.atomic.AtomicInteger> turns = new ConcurrentHashMap<>();
    private final Semaphore wakeUp = new Semaphore(0);
    private final Clock clock;
    private volatile @Nullable Thread thread;

    Reconciler(DeploymentRepository deployments, RuntimeSpecs runtimeSpecs, DeploymentTraffic traffic,
            TransactionTemplate transactions, DeployerProperties properties, List<DeploymentBackend> backends) {
        this.deployments = deployments;
        this.runtimeSpecs = runtimeSpecs;
        this.traffic = traffic;
        this.transactions = transactions;
        this.properties = properties;
        this.clock = Clock.systemUTC();
        backends.forEach(backend -> this.backends.put(backend.target(), backend));
    }

    /** Asks for a pass as soon as possible (after the caller's transaction commits, when there is one). */
    public void requestPass() {
        afterCommit(wakeUp::release);
    }

    /** Removes what the backend runs for a deleted deployment, once the deletion has committed. */
    void forget(DeploymentSpec spec) {
        afterCommit(() -> {
            DeploymentBackend backend = backends.get(spec.target());
            try {
                if (backend != null) {
                    backend.delete(spec);
                }
            }
            catch (RuntimeException ex) {
                log.warn("Could not remove deployment {} from its backend: {}", spec.name(), ex.getMessage());
            }
            scaling.remove(spec.name());
            runtimes.remove(spec.name());
            applied.remove(spec.name());
            turns.remove(spec.name());
            traffic.forget(spec.name());
        });
    }

    /**
     * Brings a deployment scaled to zero back (to min replicas) and completes when a replica is ready: the gateway
     * holds the request that woke it until then.
     */
    public CompletableFuture<Void> activate(String name, Duration timeout) {
        DeploymentRepository.Row row = deployments.find(name).orElse(null);
        if (row == null) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no deployment " + name));
        }
        DeploymentBackend backend = backends.get(row.spec().target());
        if (backend == null || row.spec().desiredState() == DesiredState.STOPPED) {
            return CompletableFuture.failedFuture(new IllegalStateException("deployment " + name + " is stopped"));
        }
        traffic.touch(name);
        wakeUp.release();
        return backend.awaitReady(row.spec(), timeout);
    }

    /**
     * Where to send the next request to a deployment: its ready replicas in turn (on Kubernetes, its Service, which
     * balances itself). Empty when nothing is ready: the caller activates it or answers 503.
     */
    public java.util.Optional<URI> endpoint(String name) {
        return deployments.find(name).flatMap(row -> endpoint(row.spec()));
    }

    /**
     * As {@link #endpoint(String)}, for a spec the caller has already read: no database query, so the gateway's hot
     * path asks only the backend's in-memory view of its replicas.
     */
    public java.util.Optional<URI> endpoint(DeploymentSpec spec) {
        DeploymentBackend backend = backends.get(spec.target());
        if (backend == null) {
            return java.util.Optional.empty();
        }
        List<URI> ready = backend.readyEndpoints(spec);
        if (ready.isEmpty()) {
            return java.util.Optional.empty();
        }
        int turn = turns.computeIfAbsent(spec.name(), n -> new java.util.concurrent.atomic.AtomicInteger())
                .getAndIncrement();
        return java.util.Optional.of(ready.get(Math.floorMod(turn, ready.size())));
    }

    /** The backend of a target, when one is configured. */
    @Nullable DeploymentBackend backend(DeploymentTarget target) {
        return backends.get(target);
    }

    /** One pass over every deployment; a failure of one never stops the others. */
    void pass() {
        for (DeploymentRepository.Row row : deployments.findAll()) {
            try {
                reconcile(row);
            }
            catch (RuntimeException ex) {
                log.warn("Reconciling deployment {} failed: {}", row.spec().name(), ex.toString());
            }
        }
    }

    private void reconcile(DeploymentRepository.Row row) {
        DeploymentSpec spec = row.spec();
        if (spec.desiredState() == DesiredState.RUNNING && !"APPROVED".equals(row.versionState())) {
            spec = stopBecauseVersionLeft(row);
        }
        DeploymentBackend backend = backends.get(spec.target());
        if (backend == null) {
            record(row, new Observation(ObservedState.FAILED, 0, 0, null, "No " + spec.target().name().toLowerCase()
                    + " backend is configured on this portal."));
            return;
        }
        RuntimeSpec runtime = runtimes.computeIfAbsent(spec.name(), name -> runtimeSpecs.forDeployment(row.spec()));
        int replicas = replicas(spec, backend);
        DeploymentPlan plan = new DeploymentPlan(spec, runtime, replicas);
        Observation seen;
        Applied last = applied.get(spec.name());
        Instant now = clock.instant();
        if (backend instanceof KubernetesBackend cluster && last != null && last.plan().equals(plan)
                && last.result() != ObservedState.FAILED && last.result() != ObservedState.DEGRADED
                && last.at().plus(KUBERNETES_RESYNC).isAfter(now)) {
            // unchanged: read the informer's cache instead of asking the API server for five objects every pass
            seen = cluster.observe(spec);
        }
        else {
            seen = backend.reconcile(plan);
            applied.put(spec.name(), new Applied(plan, now, seen.state()));
        }
        if (replicas == 0 && seen.readyReplicas() == 0 && seen.state() == ObservedState.SCALED_TO_ZERO
                && spec.desiredState() == DesiredState.STOPPED) {
            seen = new Observation(ObservedState.STOPPED, 0, 0, null, "Stopped.");
        }
        record(row, seen);
    }

    private DeploymentSpec stopBecauseVersionLeft(DeploymentRepository.Row row) {
        transactions.executeWithoutResult(status -> {
            deployments.updateDesiredState(row.id(), DesiredState.STOPPED);
            deployments.addEvent(row.id(), SYSTEM, "STOPPED", row.spec().model() + " " + row.spec().version()
                    + " is " + row.versionState() + ": stopped.");
        });
        DeploymentSpec spec = row.spec();
        return new DeploymentSpec(spec.name(), spec.model(), spec.version(), spec.target(), spec.namespace(),
                spec.minReplicas(), spec.maxReplicas(), spec.metric(), spec.scaleTarget(), spec.idleSeconds(),
                spec.resources(), DesiredState.STOPPED);
    }

    /**
     * How many replicas should run now. Stopped or idle past its idle time: zero. On Kubernetes otherwise min (the HPA
     * scales from there). Locally, the HPA's rule: ceil(current × load / target), between min and max, rising at once
     * and falling only after the load stayed low for {@code scale-down-delay}.
     */
    int replicas(DeploymentSpec spec, DeploymentBackend backend) {
        Scaling state = scaling.computeIfAbsent(spec.name(), name -> new Scaling(spec.minReplicas()));
        Instant now = clock.instant();
        if (spec.desiredState() == DesiredState.STOPPED) {
            state.current = 0;
            return 0;
        }
        int inFlight = traffic.inFlight(spec.name());
        // a deployment still starting is not idle: idle time counts from its last request or from when it was ready
        boolean starting = state.current > 0 && backend.readyEndpoints(spec).isEmpty();
        boolean idle = spec.idleSeconds() > 0 && inFlight == 0 && !starting
                && traffic.lastActivity(spec.name()).plusSeconds(spec.idleSeconds()).isBefore(now);
        if (idle) {
            state.current = 0;
            return 0;
        }
        int current = Math.max(state.current, spec.minReplicas());
        if (spec.target() == DeploymentTarget.KUBERNETES) {
            state.current = spec.minReplicas();
            return spec.minReplicas();
        }
        double load = spec.metric() == ScaleMetric.INFLIGHT ? inFlight
                : backend instanceof LocalBackend local ? local.cpuUtilization(spec) * current : 0;
        int wanted = clamp((int) Math.ceil(load / spec.scaleTarget()), spec.minReplicas(), spec.maxReplicas());
        if (wanted >= current) {
            state.lowSince = null;
            state.current = wanted;
        }
        else if (state.lowSince == null) {
            state.lowSince = now;
            state.current = current;
        }
        else if (Duration.between(state.lowSince, now).compareTo(properties.local().scaleDownDelay()) >= 0) {
            state.lowSince = null;
            state.current = Math.max(wanted, current - 1);
        }
        else {
            state.current = current;
        }
        return clamp(state.current, spec.minReplicas(), spec.maxReplicas());
    }

    private void record(DeploymentRepository.Row row, Observation seen) {
        boolean changed = row.status() != seen.state() || row.readyReplicas() != seen.readyReplicas()
                || row.desiredReplicas() != seen.desiredReplicas() || !Objects.equals(row.endpoint(), seen.endpoint())
                || !Objects.equals(row.message(), seen.message());
        if (!changed) {
            return;
        }
        transactions.executeWithoutResult(status -> {
            deployments.updateObserved(row.id(), seen);
            if (row.status() != seen.state()) {
                deployments.addEvent(row.id(), SYSTEM, seen.state().name(), seen.message());
            }
        });
        if (row.status() != ObservedState.READY && seen.state() == ObservedState.READY) {
            traffic.touch(row.spec().name());
        }
    }

    private static int clamp(int value, int min, int max) {
        return Math.max(min, Math.min(max, value));
    }

    private static void afterCommit(Runnable action) {
        if (TransactionSynchronizationManager.isSynchronizationActive()) {
            TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
                @Override
                public void afterCommit() {
                    action.run();
                }
            });
        }
        else {
            action.run();
        }
    }

    /** The plan last applied to a backend, when, and what came of it. */
    private record Applied(DeploymentPlan plan, Instant at, ObservedState result) {
    }

    /** The local autoscaler's memory of one deployment. */
    private static final class Scaling {

        int current;
        @Nullable Instant lowSince;

        Scaling(int current) {
            this.current = current;
        }
    }

    @Override
    public void start() {
        Integer reset = transactions.execute(status -> deployments.resetLocalObservations());
        if (reset != null && reset > 0) {
            log.info("Starting the replicas of {} local deployment(s) again", reset);
        }
        Thread loop = Thread.ofPlatform().name("modelward-reconciler").daemon().unstarted(this::loop);
        thread = loop;
        loop.start();
    }

    private void loop() {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                wakeUp.tryAcquire(properties.reconcileInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
                pass();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            catch (RuntimeException ex) {
                log.warn("Reconciler pass failed: {}", ex.toString());
            }
        }
    }

    @Override
    public void stop() {
        Thread loop = thread;
        thread = null;
        if (loop != null) {
            loop.interrupt();
            try {
                loop.join(10_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }
}
