package io.modelward.deployer.kubernetes;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.modelward.deployer.DeploymentBackend;
import io.modelward.deployer.DeploymentPlan;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.deployer.Observation;
import io.modelward.deployer.ObservedState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs deployments as runtime pods through the Kubernetes API. A reconcile creates what is missing and updates only
 * what differs from {@link KubernetesObjects}, with optimistic locking; it leaves the replica count to the autoscaler except to go
 * to zero and back. Objects without ModelWard's managed-by label are never changed or deleted, only reported.
 * Readiness comes from one informer per namespace in use (so the portal needs no cluster-wide rights), which also
 * completes {@link #awaitReady} for the gateway's activation from zero.
 */
public final class KubernetesBackend implements DeploymentBackend, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KubernetesBackend.class);

    /** What delete removes, dependents first. */
    private static final List<Class<? extends HasMetadata>> KINDS = List.of(HorizontalPodAutoscaler.class,
            PodDisruptionBudget.class, Service.class, Deployment.class, Secret.class);

    private final KubernetesClient client;
    private final KubernetesSettings settings;
    private final Map<String, SharedIndexInformer<Deployment>> informers = new HashMap<>();
    private final Map<String, Set<CompletableFuture<Void>>> waiters = new ConcurrentHashMap<>();
    /** Deployments whose Service this backend has seen to be its own: only those get endpoints. */
    private final Set<String> ownServices = ConcurrentHashMap.newKeySet();
    private boolean closed;

    public KubernetesBackend(KubernetesClient client, KubernetesSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    @Override
    public DeploymentTarget target() {
        return DeploymentTarget.KUBERNETES;
    }

    /**
     * Makes the plan true and reports what the Deployment shows. A refusal by the API, or an object in the way that
     * ModelWard does not manage, comes back as FAILED or DEGRADED with a sentence saying why; nothing is thrown.
     */
    @Override
    public Observation reconcile(DeploymentPlan plan) {
        DeploymentSpec spec = plan.spec();
        try {
            informer(spec.namespace());
            Map<Class<? extends HasMetadata>, HasMetadata> existing = existing(spec);
            // without its own Deployment, Secret and Service the deployment cannot run or be reached safely
            List<String> blocking = new ArrayList<>();
            for (Class<? extends HasMetadata> kind : List.of(Deployment.class, Secret.class, Service.class)) {
                notOurs(existing.get(kind)).ifPresent(blocking::add);
            }
            if (!blocking.isEmpty()) {
                ownServices.remove(key(spec));
                return new Observation(ObservedState.FAILED, 0, plan.replicas(), null, String.join(" ", blocking));
            }
            Deployment deployment = apply(desiredDeployment(plan, (Deployment) existing.get(Deployment.class)),
                    existing.get(Deployment.class));
            apply(KubernetesObjects.secret(plan, settings, deployment), existing.get(Secret.class));
            apply(KubernetesObjects.service(spec, deployment), existing.get(Service.class));
            ownServices.add(key(spec));
            List<String> sidelined = applyScaling(spec, deployment, existing);
            Observation seen = KubernetesStatus.observe(spec, deployment);
            return sidelined.isEmpty() ? seen : new Observation(ObservedState.DEGRADED, seen.readyReplicas(),
                    seen.desiredReplicas(), seen.endpoint(), seen.message() + " " + String.join(" ", sidelined));
        }
        catch (Refusal ex) {
            log.warn("Deployment {}: {}", key(spec), ex.getMessage());
            return new Observation(ObservedState.FAILED, 0, plan.replicas(), null, ex.getMessage());
        }
        catch (IllegalArgumentException ex) {
            return new Observation(ObservedState.FAILED, 0, plan.replicas(), null,
                    "The deployment cannot be expressed as Kubernetes objects: " + ex.getMessage());
        }
    }

    /** What the informer last saw of the deployment, without calling the API. */
    public Observation observe(DeploymentSpec spec) {
        try {
            return KubernetesStatus.observe(spec, informer(spec.namespace()).getStore().getByKey(key(spec)));
        }
        catch (Refusal ex) {
            return new Observation(ObservedState.FAILED, 0, 0, null, ex.getMessage());
        }
    }

    /** The Service's URL once at least one replica is ready and the Service is ModelWard's; otherwise none. */
    @Override
    public List<URI> readyEndpoints(DeploymentSpec spec) {
        String endpoint = observe(spec).endpoint();
        return endpoint != null && ownServices.contains(key(spec)) ? List.of(URI.create(endpoint)) : List.of();
    }

    /**
     * Completes when the informer sees at least one ready replica, or fails with a {@code TimeoutException} after the
     * timeout (or at once when Deployments cannot be watched); the gateway holds a request to a deployment at zero on
     * it.
     */
    public CompletableFuture<Void> awaitReady(DeploymentSpec spec, Duration timeout) {
        String key = key(spec);
        CompletableFuture<Void> ready = new CompletableFuture<>();
        waiters.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(ready);
        ready.whenComplete((done, failure) -> waiters.computeIfPresent(key, (k, pending) -> {
            pending.remove(ready);
            return pending.isEmpty() ? null : pending;
        }));
        try {
            Deployment seen = informer(spec.namespace()).getStore().getByKey(key);
            if (seen != null && KubernetesStatus.hasReadyReplica(seen)) {
                ready.complete(null);
            }
        }
        catch (Refusal | IllegalStateException ex) {
            ready.completeExceptionally(ex);
        }
        return ready.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * Deletes the deployment's objects: those of the five kinds with its names that are labelled as ModelWard's for
     * this deployment, and nothing else. Reading them by name rather than listing keeps the portal from needing to
     * list Secrets.
     *
     * @throws KubernetesClientException when the API refuses
     */
    @Override
    public void delete(DeploymentSpec spec) {
        ownServices.remove(key(spec));
        for (Class<? extends HasMetadata> kind : KINDS) {
            HasMetadata object = client.resources(kind).inNamespace(spec.namespace()).withName(name(kind, spec)).get();
            if (object != null && belongsTo(object, spec)) {
                client.resource(object).delete();
                log.info("Deleted {}", describe(object));
            }
        }
    }

    /** Stops the informers; pending {@link #awaitReady} futures are cancelled. */
    @Override
    public void close() {
        List<SharedIndexInformer<Deployment>> running;
        synchronized (informers) {
            closed = true;
            running = List.copyOf(informers.values());
            informers.clear();
        }
        running.forEach(SharedIndexInformer::stop);
        waiters.values().forEach(pending -> List.copyOf(pending).forEach(future -> future.cancel(false)));
    }

    private Deployment desiredDeployment(DeploymentPlan plan, @Nullable Deployment existing) {
        Deployment desired = KubernetesObjects.deployment(plan, settings);
        desired.getSpec().setReplicas(replicas(plan, existing));
        return desired;
    }

    /**
     * The autoscaler owns the count while the deployment is active: it is set only to go to zero, and to come back
     * from zero at the minimum.
     */
    private static int replicas(DeploymentPlan plan, @Nullable Deployment existing) {
        if (existing == null || plan.replicas() == 0) {
            return plan.replicas();
        }
        Integer current = existing.getSpec() == null ? null : existing.getSpec().getReplicas();
        return current == null || current == 0 ? plan.spec().minReplicas() : current;
    }

    /**
     * The autoscaler and the disruption budget, unless someone else's objects of the same name are in the way: the
     * deployment still runs without them, so those are reported rather than blocking.
     */
    private List<String> applyScaling(DeploymentSpec spec, Deployment owner,
            Map<Class<? extends HasMetadata>, HasMetadata> existing) {
        List<String> sidelined = new ArrayList<>();
        HasMetadata autoscaler = existing.get(HorizontalPodAutoscaler.class);
        notOurs(autoscaler).ifPresentOrElse(sidelined::add,
                () -> apply(KubernetesObjects.horizontalPodAutoscaler(spec, owner), autoscaler));
        HasMetadata budget = existing.get(PodDisruptionBudget.class);
        Optional<PodDisruptionBudget> wanted = KubernetesObjects.podDisruptionBudget(spec, owner);
        Optional<String> foreignBudget = notOurs(budget);
        if (foreignBudget.isPresent()) {
            if (wanted.isPresent()) {
                sidelined.add(foreignBudget.get());
            }
        }
        else if (wanted.isPresent()) {
            apply(wanted.get(), budget);
        }
        else if (budget != null) {
            call("delete " + describe(budget), () -> client.resource(budget).delete());
            log.info("Deleted {}: fewer than two replicas need no budget", describe(budget));
        }
        return sidelined;
    }

    /**
     * Creates the object when missing, updates it when it lacks something desired (keeping what the server and others
     * added), and returns what is there.
     */
    @SuppressWarnings("unchecked")
    private <T extends HasMetadata> T apply(T desired, @Nullable HasMetadata existing) {
        if (existing == null) {
            T created = call("create " + describe(desired), () -> client.resource(desired).create());
            log.info("Created {}", describe(desired));
            return created;
        }
        if (!OwnedFields.differ(desired, existing)) {
            return (T) existing;
        }
        T updated = call("update " + describe(desired),
                () -> client.resource(OwnedFields.appliedTo(existing, desired)).update());
        log.info("Updated {}", describe(desired));
        return updated;
    }

    private Map<Class<? extends HasMetadata>, HasMetadata> existing(DeploymentSpec spec) {
        Map<Class<? extends HasMetadata>, HasMetadata> found = new HashMap<>();
        for (Class<? extends HasMetadata> kind : KINDS) {
            String name = name(kind, spec);
            HasMetadata object = call("read " + kind.getSimpleName() + " '" + name + "' in namespace '"
                    + spec.namespace() + "'", () -> client.resources(kind).inNamespace(spec.namespace())
                            .withName(name).get());
            if (object != null) {
                found.put(kind, object);
            }
        }
        return found;
    }

    private static String name(Class<? extends HasMetadata> kind, DeploymentSpec spec) {
        return kind == Secret.class ? KubernetesObjects.secretName(spec) : spec.name();
    }

    private static boolean belongsTo(HasMetadata object, DeploymentSpec spec) {
        Map<String, String> labels = labels(object);
        return KubernetesObjects.MANAGER.equals(labels.get(KubernetesObjects.MANAGED_BY))
                && KubernetesObjects.labelValue(spec.name()).equals(labels.get(KubernetesObjects.DEPLOYMENT));
    }

    private static Optional<String> notOurs(@Nullable HasMetadata object) {
        if (object == null || KubernetesObjects.MANAGER.equals(labels(object).get(KubernetesObjects.MANAGED_BY))) {
            return Optional.empty();
        }
        return Optional.of(object.getKind() + " '" + object.getMetadata().getName() + "' exists and is not managed "
                + "by ModelWard; left alone.");
    }

    private static Map<String, String> labels(HasMetadata object) {
        Map<String, String> labels = object.getMetadata().getLabels();
        return labels == null ? Map.of() : labels;
    }

    private SharedIndexInformer<Deployment> informer(String namespace) {
        synchronized (informers) {
            if (closed) {
                throw new IllegalStateException("The Kubernetes backend is closed.");
            }
            SharedIndexInformer<Deployment> informer = informers.get(namespace);
            if (informer == null) {
                informer = call("watch Deployments in namespace '" + namespace + "'", () -> client.apps()
                        .deployments().inNamespace(namespace)
                        .withLabel(KubernetesObjects.MANAGED_BY, KubernetesObjects.MANAGER)
                        .inform(new ReadinessSignal(), 0));
                informers.put(namespace, informer);
            }
            return informer;
        }
    }

    private static <R> R call(String action, Supplier<R> call) {
        try {
            return call.get();
        }
        catch (KubernetesClientException ex) {
            throw new Refusal("Could not " + action + ": " + reason(ex), ex);
        }
    }

    private static String reason(KubernetesClientException ex) {
        Status status = ex.getStatus();
        String message = status != null && status.getMessage() != null ? status.getMessage() : ex.getMessage();
        return ex.getCode() > 0 ? message + " (HTTP " + ex.getCode() + ")." : message;
    }

    private static String describe(HasMetadata object) {
        return object.getKind() + " '" + object.getMetadata().getName() + "' in namespace '"
                + object.getMetadata().getNamespace() + "'";
    }

    private static String key(DeploymentSpec spec) {
        return spec.namespace() + "/" + spec.name();
    }

    /** Completes the futures waiting for a Deployment once it has a ready replica. */
    private final class ReadinessSignal implements ResourceEventHandler<Deployment> {

        @Override
        public void onAdd(Deployment deployment) {
            signal(deployment);
        }

        @Override
        public void onUpdate(Deployment before, Deployment deployment) {
            signal(deployment);
        }

        @Override
        public void onDelete(Deployment deployment, boolean finalStateUnknown) {
            // nothing waits for a deletion
        }

        private void signal(Deployment deployment) {
            Set<CompletableFuture<Void>> pending = waiters.get(deployment.getMetadata().getNamespace() + "/"
                    + deployment.getMetadata().getName());
            if (pending != null && KubernetesStatus.hasReadyReplica(deployment)) {
                List.copyOf(pending).forEach(future -> future.complete(null));
            }
        }
    }

    /** The API refused a call; the message says which call and why, in a sentence. */
    private static final class Refusal extends RuntimeException {

        Refusal(String message, KubernetesClientException cause) {
            super(message, cause);
        }
    }
}
