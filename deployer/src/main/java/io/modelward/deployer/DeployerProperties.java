package io.modelward.deployer;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the deployer, under {@code modelward.deployer}.
 *
 * @param defaultTarget where a deployment runs when its request does not say
 * @param defaultNamespace the Kubernetes namespace when a request does not say
 * @param reconcileInterval how often every deployment is reconciled (changes also reconcile at once)
 * @param tokenKeyFile where the key that derives each deployment's internal token is kept (generated, mode 600)
 * @param local the local backend
 * @param kubernetes the Kubernetes backend
 */
@ConfigurationProperties("modelward.deployer")
public record DeployerProperties(@DefaultValue("LOCAL") DeploymentTarget defaultTarget,
        @DefaultValue("modelward-models") String defaultNamespace, @DefaultValue("1s") Duration reconcileInterval,
        @Nullable Path tokenKeyFile, @DefaultValue Local local, @DefaultValue Kubernetes kubernetes) {

    /**
     * The local backend: runtime processes on this machine.
     *
     * @param runtimeJar the inference runtime's jar (its {@code lib/} folder beside it)
     * @param workDir where replicas keep their logs and unpacked models
     * @param startTimeout how long a replica may take to become ready before it counts as a crash
     * @param maxRestarts crashes in a row after which the deployment is FAILED
     * @param scaleDownDelay how long load must stay low before a replica is stopped
     */
    public record Local(@DefaultValue("inference-runtime/target/inference-runtime.jar") Path runtimeJar,
            @Nullable Path workDir, @DefaultValue("120s") Duration startTimeout, @DefaultValue("5") int maxRestarts,
            @DefaultValue("30s") Duration scaleDownDelay) {
    }

    /**
     * The Kubernetes backend: runtime pods through the API, with the client's usual configuration (the pod's service
     * account in a cluster, else {@code ~/.kube/config}).
     *
     * @param enabled whether deployments may target Kubernetes
     * @param runtimeImage the inference runtime's image
     * @param imagePullPolicy {@code IfNotPresent}, {@code Always} or {@code Never}
     * @param artifactBaseUrl where pods fetch approved model files: the portal's {@code /internal/artifacts} as the
     *        pods reach it, e.g. {@code http://modelward-portal.modelward.svc/internal/artifacts}
     * @param progressDeadlineSeconds how long a rollout may make no progress before it is DEGRADED
     * @param intraOpThreads libtorch threads per worker in a pod
     * @param serviceAccountName the runtime pods' service account (the namespace's default when empty)
     */
    public record Kubernetes(@DefaultValue("false") boolean enabled,
            @DefaultValue("ghcr.io/modelward/inference-runtime:0.1.0") String runtimeImage,
            @DefaultValue("IfNotPresent") String imagePullPolicy, @Nullable URI artifactBaseUrl,
            @DefaultValue("120") int progressDeadlineSeconds, @DefaultValue("1") int intraOpThreads,
            @Nullable String serviceAccountName) {
    }
}
