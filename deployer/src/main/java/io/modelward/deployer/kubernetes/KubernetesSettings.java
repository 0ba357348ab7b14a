package io.modelward.deployer.kubernetes;

import java.net.URI;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * How runtime pods are made in every namespace: the image, where they fetch approved model files from, and the knobs
 * that are the platform's rather than each deployment's.
 *
 * @param runtimeImage the inference runtime's image, e.g. {@code ghcr.io/modelward/inference-runtime:0.1.0}
 * @param imagePullPolicy {@code IfNotPresent}, {@code Always} or {@code Never}
 * @param artifactBaseUrl the portal's internal artifact endpoint; a file is fetched from {@code <base>/<sha256>}
 * @param artifactToken the bearer token that endpoint accepts from runtime pods, never logged
 * @param containerPort the port the runtime listens on inside the pod
 * @param progressDeadlineSeconds how long a rollout may make no progress before it counts as stuck
 * @param intraOpThreads libtorch threads per worker; the workers per pod are the CPU limit divided by this
 * @param serviceAccountName the runtime pods' service account, or null for the namespace's {@code default}
 */
public record KubernetesSettings(String runtimeImage, String imagePullPolicy, URI artifactBaseUrl,
        String artifactToken, int containerPort, int progressDeadlineSeconds, int intraOpThreads,
        @Nullable String serviceAccountName) {

    public static final String DEFAULT_PULL_POLICY = "IfNotPresent";
    public static final int DEFAULT_CONTAINER_PORT = 8080;
    public static final int DEFAULT_PROGRESS_DEADLINE_SECONDS = 120;
    /** One libtorch thread per worker: measured as the best layout for batch-1 latency on small CPUs. */
    public static final int DEFAULT_INTRA_OP_THREADS = 1;

    private static final Set<String> PULL_POLICIES = Set.of("IfNotPresent", "Always", "Never");

    public KubernetesSettings {
        if (runtimeImage.isBlank()) {
            throw new IllegalArgumentException("The runtime image must be named.");
        }
        if (!PULL_POLICIES.contains(imagePullPolicy)) {
            throw new IllegalArgumentException("The image pull policy must be IfNotPresent, Always or Never, not '"
                    + imagePullPolicy + "'.");
        }
        String scheme = artifactBaseUrl.getScheme();
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            throw new IllegalArgumentException("The artifact base URL must be http: or https:, not '"
                    + artifactBaseUrl + "'.");
        }
        if (artifactToken.isBlank()) {
            throw new IllegalArgumentException("The artifact token must not be blank.");
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw new IllegalArgumentException("The container port must be between 1 and 65535, not "
                    + containerPort + ".");
        }
        if (progressDeadlineSeconds < 1) {
            throw new IllegalArgumentException("The progress deadline must be at least 1 second.");
        }
        if (intraOpThreads < 1) {
            throw new IllegalArgumentException("Each worker needs at least 1 intra-op thread.");
        }
        if (serviceAccountName != null && serviceAccountName.isBlank()) {
            serviceAccountName = null;
        }
    }

    /** The settings with every default: pull if not present, port 8080, 120 s deadline, 1 thread per worker. */
    public static KubernetesSettings of(String runtimeImage, URI artifactBaseUrl, String artifactToken) {
        return new KubernetesSettings(runtimeImage, DEFAULT_PULL_POLICY, artifactBaseUrl, artifactToken,
                DEFAULT_CONTAINER_PORT, DEFAULT_PROGRESS_DEADLINE_SECONDS, DEFAULT_INTRA_OP_THREADS, null);
    }

    @Override
    public String toString() {
        return "KubernetesSettings[runtimeImage=" + runtimeImage + ", imagePullPolicy=" + imagePullPolicy
                + ", artifactBaseUrl=" + artifactBaseUrl + ", containerPort=" + containerPort
                + ", progressDeadlineSeconds=" + progressDeadlineSeconds + ", intraOpThreads=" + intraOpThreads
                + ", serviceAccountName=" + serviceAccountName + "]";
    }
}
