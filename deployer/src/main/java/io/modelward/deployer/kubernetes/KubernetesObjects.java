package io.modelward.deployer.kubernetes;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
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

    static final String METRICS_PATH = "/metrics";

    private static final int LABEL_MAX = 63;
    private static final Pattern LABEL_VALUE = Pattern.compile("(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?");

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
                        .withSpec(RuntimePod.spec(plan, settings))
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
                        .withName(RuntimePod.PORT_NAME)
                        .withProtocol("TCP")
                        .withPort(SERVICE_PORT)
                        .withTargetPort(new IntOrString(RuntimePod.PORT_NAME))
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

    static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(text.getBytes(StandardCharsets.UTF_8)));
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("Every Java platform has SHA-256", ex);
        }
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
