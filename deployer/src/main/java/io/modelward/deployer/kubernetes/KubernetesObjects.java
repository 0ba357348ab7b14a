package io.modelward.deployer.kubernetes;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscalerBuilder;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpecBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.modelward.deployer.DeploymentPlan;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.Resources;
import io.modelward.deployer.RuntimeSpec;
import io.modelward.deployer.ScaleMetric;

/**
 * The Kubernetes objects of one deployment, as pure functions of its plan and the settings: what ModelWard wants to
 * exist, built the same way every time so that the backend can compare it with what does exist. Every object carries
 * the {@link #MANAGED_BY} label, which is how the backend tells its objects from anyone else's; dependents carry an
 * owner reference to the Deployment, so the cluster removes them with it.
 */
public final class KubernetesObjects {

    public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
    public static final String MANAGER = "modelward";
    public static final String NAME = "app.kubernetes.io/name";
    public static final String RUNTIME = "modelward-runtime";
    public static final String INSTANCE = "app.kubernetes.io/instance";
    public static final String DEPLOYMENT = "modelward.io/deployment";
    public static final String MODEL = "modelward.io/model";
    public static final String VERSION = "modelward.io/version";

    /** The port the Service answers on; the gateway's URL is {@code http://<name>.<namespace>.svc:80}. */
    public static final int SERVICE_PORT = 80;
    /** The per-pod metric an INFLIGHT autoscaler reads through the custom metrics API. */
    public static final String INFLIGHT_METRIC = "modelward_inflight_requests";
    /** The Secret's keys: the gateway's internal token and the bearer for the artifact endpoint. */
    public static final String TOKEN_KEY = "token";
    public static final String ARTIFACT_TOKEN_KEY = "artifact-token";
    /** A hash of the Secret's contents on the pod template, so a new token rolls the pods. */
    public static final String TOKENS_HASH = "modelward.io/tokens-sha256";
    /** The runtime image's user and group ({@code USER 10001:10001}). */
    public static final long RUNTIME_USER = 10001L;

    static final String CONTAINER = "runtime";
    static final String PORT_NAME = "http";
    static final String READY_PATH = "/v2/health/ready";
    static final String LIVE_PATH = "/v2/health/live";
    static final String METRICS_PATH = "/metrics";
    /** Writable scratch space on a read-only root: java.io.tmpdir (the image sets /tmp) and the work dir. */
    static final String SCRATCH_PATH = "/tmp";
    static final String WORK_DIR = SCRATCH_PATH + "/modelward-runtime";

    private static final int LABEL_MAX = 63;
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");
    private static final String SCRATCH_VOLUME = "scratch";

    private KubernetesObjects() {
    }

    /** The labels every object of the deployment carries, each value valid as a label value. */
    public static Map<String, String> labels(DeploymentSpec spec) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY, MANAGER);
        labels.put(NAME, RUNTIME);
        labels.put(INSTANCE, labelValue(spec.name()));
        labels.put(DEPLOYMENT, labelValue(spec.name()));
        labels.put(MODEL, labelValue(spec.model()));
        labels.put(VERSION, labelValue(spec.version()));
        return labels;
    }

    /** What selects the deployment's pods (and, with {@link #MANAGED_BY}, all its objects). */
    public static Map<String, String> selector(DeploymentSpec spec) {
        return Map.of(DEPLOYMENT, labelValue(spec.name()));
    }

    /**
     * The value as a label value: at most 63 characters of letters, digits, {@code -_.}, beginning and ending with a
     * letter or digit. Other characters become {@code -}; a longer value keeps its first 54 characters and a hash of
     * the whole, so that two long values stay apart.
     */
    public static String labelValue(String value) {
        if (value.length() <= LABEL_MAX && LABEL_VALUE.matcher(value).matches()) {
            return value;
        }
        String cleaned = value.replaceAll("[^-A-Za-z0-9_.]", "-");
        if (cleaned.length() > LABEL_MAX) {
            cleaned = trimEdges(cleaned.substring(0, LABEL_MAX - 9)) + "-" + sha256(value).substring(0, 8);
        }
        return trimEdges(cleaned);
    }

    public static String secretName(DeploymentSpec spec) {
        return spec.name() + "-tokens";
    }

    /** Where the gateway reaches the deployment inside the cluster. */
    public static String endpoint(DeploymentSpec spec) {
        return "http://" + spec.name() + "." + spec.namespace() + ".svc:" + SERVICE_PORT;
    }

    /**
     * The runtime's Deployment, with {@code plan.replicas()} replicas. Pods run as the image's non-root user on a
     * read-only root with every capability dropped; an emptyDir on {@code /tmp} takes downloads and temporary files.
     * {@code DJL_CACHE_DIR} stays the image's, where libtorch is unpacked at build time, so no pod unpacks it at
     * start. Tokens come from the deployment's Secret, never from the Deployment itself.
     */
    public static Deployment deployment(DeploymentPlan plan, KubernetesSettings settings) {
        DeploymentSpec spec = plan.spec();
        Map<String, String> labels = labels(spec);
        Map<String, String> annotations = new LinkedHashMap<>();
        annotations.put("prometheus.io/scrape", "true");
        annotations.put("prometheus.io/port", String.valueOf(settings.containerPort()));
        annotations.put("prometheus.io/path", METRICS_PATH);
        annotations.put(TOKENS_HASH, sha256(plan.runtime().token() + "\n" + settings.artifactToken()));
        return new DeploymentBuilder()
                .withMetadata(metadata(spec, spec.name()))
                .withNewSpec()
                    .withReplicas(plan.replicas())
                    .withProgressDeadlineSeconds(settings.progressDeadlineSeconds())
                    .withRevisionHistoryLimit(3)
                    .withNewSelector().withMatchLabels(selector(spec)).endSelector()
                    // a new model version comes up beside the old one, so a rollout never lowers capacity
                    .withNewStrategy()
                        .withType("RollingUpdate")
                        .withNewRollingUpdate()
                            .withMaxSurge(new IntOrString(1))
                            .withMaxUnavailable(new IntOrString(0))
                        .endRollingUpdate()
                    .endStrategy()
                    .withNewTemplate()
                        .withNewMetadata().withLabels(labels).withAnnotations(annotations).endMetadata()
                        .withSpec(podSpec(plan, settings))
                    .endTemplate()
                .endSpec()
                .build();
    }

    /** The deployment's tokens: the gateway's internal token and the bearer for the artifact endpoint. */
    public static Secret secret(DeploymentPlan plan, KubernetesSettings settings, Deployment owner) {
        DeploymentSpec spec = plan.spec();
        Base64.Encoder base64 = Base64.getEncoder();
        return new SecretBuilder()
                .withMetadata(dependentMetadata(spec, secretName(spec), owner))
                .withType("Opaque")
                .addToData(TOKEN_KEY, base64.encodeToString(plan.runtime().token().getBytes(StandardCharsets.UTF_8)))
                .addToData(ARTIFACT_TOKEN_KEY,
                        base64.encodeToString(settings.artifactToken().getBytes(StandardCharsets.UTF_8)))
                .build();
    }

    /** A ClusterIP Service in front of the ready pods, on port {@value #SERVICE_PORT}. */
    public static Service service(DeploymentSpec spec, Deployment owner) {
        return new ServiceBuilder()
                .withMetadata(dependentMetadata(spec, spec.name(), owner))
                .withNewSpec()
                    .withType("ClusterIP")
                    .withSelector(selector(spec))
                    .addNewPort()
                        .withName(PORT_NAME)
                        .withProtocol("TCP")
                        .withPort(SERVICE_PORT)
                        .withTargetPort(new IntOrString(PORT_NAME))
                    .endPort()
                .endSpec()
                .build();
    }

    /**
     * The autoscaler between min and max replicas: on CPU utilisation of the request, or on requests in flight per
     * pod. It owns the replica count while the deployment is active and rests while the Deployment is at zero.
     */
    public static HorizontalPodAutoscaler horizontalPodAutoscaler(DeploymentSpec spec, Deployment owner) {
        return new HorizontalPodAutoscalerBuilder()
                .withMetadata(dependentMetadata(spec, spec.name(), owner))
                .withNewSpec()
                    .withNewScaleTargetRef()
                        .withApiVersion("apps/v1")
                        .withKind("Deployment")
                        .withName(spec.name())
                    .endScaleTargetRef()
                    .withMinReplicas(spec.minReplicas())
                    .withMaxReplicas(spec.maxReplicas())
                    .withMetrics(metric(spec))
                .endSpec()
                .build();
    }

    /**
     * A disruption budget, only when at least two replicas are wanted: one replica cannot be kept available through a
     * node drain anyway, and a budget on it would only block the drain. It allows one pod unavailable at a time
     * rather than a fixed minimum available: whatever count the autoscaler has reached, a drain evicts pods one by one
     * and is never blocked outright.
     */
    public static Optional<PodDisruptionBudget> podDisruptionBudget(DeploymentSpec spec, Deployment owner) {
        if (spec.minReplicas() < 2) {
            return Optional.empty();
        }
        return Optional.of(new PodDisruptionBudgetBuilder()
                .withMetadata(dependentMetadata(spec, spec.name(), owner))
                .withNewSpec()
                    .withMaxUnavailable(new IntOrString(1))
                    .withNewSelector().withMatchLabels(selector(spec)).endSelector()
                .endSpec()
                .build());
    }

    /** The runtime's flags: model and labels with their SHA-256, processing, and the pod's own listener and threads. */
    public static List<String> runtimeArgs(DeploymentPlan plan, KubernetesSettings settings) {
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

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every Java platform has SHA-256", ex);
        }
    }

    private static String artifactUri(KubernetesSettings settings, String sha256) {
        String base = settings.artifactBaseUrl().toString();
        return (base.endsWith("/") ? base : base + "/") + sha256;
    }

    private static PodSpec podSpec(DeploymentPlan plan, KubernetesSettings settings) {
        String serviceAccount = settings.serviceAccountName();
        return new PodSpecBuilder()
                .withServiceAccountName(serviceAccount == null ? "default" : serviceAccount)
                // the runtime never calls the Kubernetes API
                .withAutomountServiceAccountToken(false)
                .withEnableServiceLinks(false)
                .withNewSecurityContext()
                    .withRunAsNonRoot(true)
                    .withRunAsUser(RUNTIME_USER)
                    .withRunAsGroup(RUNTIME_USER)
                    .withFsGroup(RUNTIME_USER)
                    .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
                .endSecurityContext()
                .withContainers(container(plan, settings))
                .addNewVolume().withName(SCRATCH_VOLUME).withNewEmptyDir().endEmptyDir().endVolume()
                .build();
    }

    private static Container container(DeploymentPlan plan, KubernetesSettings settings) {
        String secret = secretName(plan.spec());
        return new ContainerBuilder()
                .withName(CONTAINER)
                .withImage(settings.runtimeImage())
                .withImagePullPolicy(settings.imagePullPolicy())
                .withArgs(runtimeArgs(plan, settings))
                .withEnv(fromSecret("MODELWARD_TOKEN", secret, TOKEN_KEY),
                        fromSecret("MODELWARD_ARTIFACT_TOKEN", secret, ARTIFACT_TOKEN_KEY))
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
                    .withRunAsUser(RUNTIME_USER)
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

    private static MetricSpec metric(DeploymentSpec spec) {
        if (spec.metric() == ScaleMetric.CPU) {
            return new MetricSpecBuilder()
                    .withType("Resource")
                    .withNewResource()
                        .withName("cpu")
                        .withNewTarget().withType("Utilization").withAverageUtilization(spec.scaleTarget()).endTarget()
                    .endResource()
                    .build();
        }
        return new MetricSpecBuilder()
                .withType("Pods")
                .withNewPods()
                    .withNewMetric().withName(INFLIGHT_METRIC).endMetric()
                    .withNewTarget()
                        .withType("AverageValue")
                        .withAverageValue(new Quantity(String.valueOf(spec.scaleTarget())))
                    .endTarget()
                .endPods()
                .build();
    }

    private static ObjectMeta metadata(DeploymentSpec spec, String name) {
        return new ObjectMetaBuilder()
                .withName(name)
                .withNamespace(spec.namespace())
                .withLabels(labels(spec))
                .build();
    }

    private static ObjectMeta dependentMetadata(DeploymentSpec spec, String name, Deployment owner) {
        ObjectMeta metadata = metadata(spec, name);
        metadata.setOwnerReferences(List.of(ownerReference(owner)));
        return metadata;
    }

    /**
     * Points at the Deployment as controller. Without {@code blockOwnerDeletion}: setting it needs update rights on
     * {@code deployments/finalizers}, which the portal does not need otherwise.
     */
    private static OwnerReference ownerReference(Deployment owner) {
        String uid = owner.getMetadata().getUid();
        if (uid == null || uid.isBlank()) {
            throw new IllegalArgumentException("The owner Deployment '" + owner.getMetadata().getName()
                    + "' has no uid: create it first.");
        }
        return new OwnerReferenceBuilder()
                .withApiVersion("apps/v1")
                .withKind("Deployment")
                .withName(owner.getMetadata().getName())
                .withUid(uid)
                .withController(true)
                .build();
    }

    private static String trimEdges(String value) {
        return value.replaceAll("^[^A-Za-z0-9]+", "").replaceAll("[^A-Za-z0-9]+$", "");
    }
}
