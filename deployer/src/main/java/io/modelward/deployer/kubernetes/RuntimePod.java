package io.modelward.deployer.kubernetes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.modelward.deployer.DeploymentPlan;
import io.modelward.deployer.Resources;
import io.modelward.deployer.RuntimeSpec;

/**
 * The runtime pod of a deployment: its flags (model and labels by URI and SHA-256, processing, listener, workers and
 * threads), and a pod that runs them as the image's non-root user on a read-only root, with every capability
 * dropped, an emptyDir on {@code /tmp}, probes on the runtime's health endpoints, and the tokens from the deployment's
 * Secret. {@link KubernetesObjects} puts it into the Deployment.
 */
final class RuntimePod {

    static final String CONTAINER = "runtime";
    static final String PORT_NAME = "http";
    static final String READY_PATH = "/v2/health/ready";
    static final String LIVE_PATH = "/v2/health/live";
    /** Writable scratch space on a read-only root: java.io.tmpdir (the image sets /tmp) and the work dir. */
    static final String SCRATCH_PATH = "/tmp";
    static final String WORK_DIR = SCRATCH_PATH + "/modelward-runtime";

    private static final String SCRATCH_VOLUME = "scratch";

    private RuntimePod() {
    }

    /** The runtime's flags: model and labels with their SHA-256, processing, and the pod's own listener and threads. */
    static List<String> args(DeploymentPlan plan, KubernetesSettings settings) {
        RuntimeSpec runtime = plan.runtime();
        List<String> args = new ArrayList<>();
        args.add("--model-uri=" + artifactUri(settings, runtime.modelSha256()));
        args.add("--sha256=" + runtime.modelSha256());
        args.add("--format=" + runtime.format());
        args.add("--model-name=" + runtime.modelName());
        args.add("--model-version=" + runtime.modelVersion());
        if (runtime.labelsSha256() != null) {
            args.add("--labels-uri=" + artifactUri(settings, runtime.labelsSha256()));
            args.add("--labels-sha256=" + runtime.labelsSha256());
        }
        new TreeMap<>(runtime.processing()).forEach((flag, value) -> args.add("--" + flag + "=" + value));
        args.add("--host=0.0.0.0");
        args.add("--port=" + settings.containerPort());
        args.add("--workers=" + workers(plan.spec().resources(), settings));
        args.add("--intra-op-threads=" + settings.intraOpThreads());
        args.add("--work-dir=" + WORK_DIR);
        return args;
    }

    /** As many workers as whole CPUs of the limit allow at the configured threads each, and at least one. */
    static int workers(Resources resources, KubernetesSettings settings) {
        BigDecimal cores = Quantity.getAmountInBytes(new Quantity(resources.cpuLimit()));
        int whole = cores.divide(BigDecimal.valueOf(settings.intraOpThreads()), 0, RoundingMode.FLOOR).intValue();
        return Math.max(1, whole);
    }

    private static String artifactUri(KubernetesSettings settings, String sha256) {
        String base = settings.artifactBaseUrl().toString();
        return (base.endsWith("/") ? base : base + "/") + sha256;
    }

    static PodSpec spec(DeploymentPlan plan, KubernetesSettings settings) {
        String serviceAccount = settings.serviceAccountName();
        return new PodSpecBuilder()
                .withServiceAccountName(serviceAccount == null ? "default" : serviceAccount)
                // the runtime never calls the Kubernetes API
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(KubernetesObjects.RUNTIME_USER)
                    .withRunAsGroup(KubernetesObjects.RUNTIME_USER)
                    .withFsGroup(KubernetesObjects.RUNTIME_USER)
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(plan, settings))
                .addNewVolume().withName(SCRATCH_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                .build();
    }

    private static Container container(DeploymentPlan plan, KubernetesSettings settings) {
        String secret = KubernetesObjects.secretName(plan.spec());
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(settings.runtimeImage())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withArgs(args(plan, settings))
                .withEnv(fromSecret("MODELWARD_TOKEN", secret, KubernetesObjects.TOKEN_KEY),
                        fromSecret("MODELWARD_ARTIFACT_TOKEN", secret, KubernetesObjects.ARTIFACT_TOKEN_KEY))
                .addNewPort()
                    .withName(PORT_NAME)
                    .withContainerPort(settings.containerPort())
                    .withProtocol("TCP")
                .endPort()
                .withResources(resources(plan.spec().resources()))
                // the runtime listens at once and is live while it loads; the startup probe allows a slow JVM start
                .withStartupProbe(probe(LIVE_PATH, 1, 60))
                // checked often: activation from zero waits for the first ready answer
                .withReadinessProbe(probe(READY_PATH, 2, 3))
                .withLivenessProbe(probe(LIVE_PATH, 10, 3))
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(KubernetesObjects.RUNTIME_USER)
                    .withReadOnlyRootFilesystem(true)
                    .withAllowPrivilegeEscalation(false)
                    .withNewCapabilities().withDrop("ALL").endCapabilities()
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .addNewVolumeMount().withName(SCRATCH_VOLUME).withMountPath(SCRATCH_PATH).endVolumeMount()
                .build();
    }

    private static EnvVar fromSecret(String variable, String secret, String key) {
        return new EnvVarBuilder()
                .withName(variable)
                .withNewValueFrom().withNewSecretKeyRef().withName(secret).withKey(key).endSecretKeyRef().endValueFrom()
                .build();
    }

    private static ResourceRequirements resources(Resources resources) {
        return new ResourceRequirementsBuilder()
                .addToRequests("cpu", new Quantity(resources.cpuRequest()))
                .addToRequests("memory", new Quantity(resources.memoryRequest()))
                .addToLimits("cpu", new Quantity(resources.cpuLimit()))
                .addToLimits("memory", new Quantity(resources.memoryLimit()))
                .build();
    }

    private static Probe probe(String path, int periodSeconds, int failureThreshold) {
        return new ProbeBuilder()
                .withNewHttpGet().withPath(path).withPort(new IntOrString(PORT_NAME)).endHttpGet()
                .withPeriodSeconds(periodSeconds)
                .withTimeoutSeconds(2)
                .withFailureThreshold(failureThreshold)
                .build();
    }
}
