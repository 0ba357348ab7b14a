package io.modelward.deployer.kubernetes;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.modelward.deployer.DeploymentPlan;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.Resources;
import io.modelward.deployer.RuntimeSpec;
import io.modelward.deployer.ScaleMetric;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import static io.modelward.deployer.kubernetes.TestPlans.SETTINGS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

class KubernetesObjectsTest {

    private static final DeploymentPlan PLAN = TestPlans.plan("wards", "digits-prod", 2);
    private static final Deployment OWNER = created(KubernetesObjects.deployment(PLAN, SETTINGS));

    static Stream<HasMetadata> everyObject() {
        return Stream.concat(Stream.of(OWNER), dependents());
    }

    static Stream<HasMetadata> dependents() {
        DeploymentSpec spec = PLAN.spec();
        return Stream.of(KubernetesObjects.secret(PLAN, SETTINGS, OWNER), KubernetesObjects.service(spec, OWNER),
                KubernetesObjects.horizontalPodAutoscaler(spec, OWNER),
                KubernetesObjects.podDisruptionBudget(spec, OWNER).orElseThrow());
    }

    @ParameterizedTest
    @MethodSource("everyObject")
    void createsEveryObjectWithTheManagedByLabel(HasMetadata object) {
        assertThat(object.getMetadata().getLabels()).containsAllEntriesOf(Map.of(
                "app.kubernetes.io/managed-by", "modelward",
                "app.kubernetes.io/name", "modelward-runtime",
                "app.kubernetes.io/instance", "digits-prod",
                "modelward.io/deployment", "digits-prod",
                "modelward.io/model", "digits",
                "modelward.io/version", "1.0.0"));
        assertThat(object.getMetadata().getNamespace()).isEqualTo("wards");
    }

    @ParameterizedTest
    @MethodSource("dependents")
    void dependentsPointAtTheDeploymentAsTheirController(HasMetadata object) {
        assertThat(object.getMetadata().getOwnerReferences()).singleElement().satisfies(owner -> {
            assertThat(owner.getKind()).isEqualTo("Deployment");
            assertThat(owner.getApiVersion()).isEqualTo("apps/v1");
            assertThat(owner.getName()).isEqualTo("digits-prod");
            assertThat(owner.getUid()).isEqualTo("uid-of-digits-prod");
            assertThat(owner.getController()).isTrue();
        });
    }

    @Test
    void dependentsNeedADeploymentThatHasBeenCreated() {
        Deployment notCreated = KubernetesObjects.deployment(PLAN, SETTINGS);

        assertThatIllegalArgumentException().isThrownBy(() -> KubernetesObjects.service(PLAN.spec(), notCreated))
                .withMessageContaining("has no uid");
    }

    @Test
    void podTemplateCarriesTheLabelsAndTheSelectorMatchesIt() {
        Deployment deployment = KubernetesObjects.deployment(PLAN, SETTINGS);

        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(KubernetesObjects.labels(PLAN.spec()))
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(deployment.getSpec().getSelector().getMatchLabels())
                .isEqualTo(Map.of("modelward.io/deployment", "digits-prod"));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 3})
    void deploymentStartsWithThePlannedReplicasAndTheProgressDeadline(int replicas) {
        Deployment deployment = KubernetesObjects.deployment(TestPlans.plan(PLAN.spec(), replicas), SETTINGS);

        assertThat(deployment.getSpec().getReplicas()).isEqualTo(replicas);
        assertThat(deployment.getSpec().getProgressDeadlineSeconds()).isEqualTo(120);
    }

    @Test
    void probesAskTheRuntimeWhetherItIsReadyAndLive() {
        Container container = container(KubernetesObjects.deployment(PLAN, SETTINGS));

        assertThat(container.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/ready");
        assertThat(container.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(container.getStartupProbe().getHttpGet().getPath()).isEqualTo("/v2/health/live");
        assertThat(List.of(container.getReadinessProbe(), container.getLivenessProbe(), container.getStartupProbe()))
                .allSatisfy(probe -> assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http"));
        assertThat(container.getPorts()).singleElement()
                .satisfies(port -> assertThat(port.getContainerPort()).isEqualTo(8080));
    }

    @Test
    void podsRunAsNonRootOnAReadOnlyRootWithoutCapabilities() {
        PodSpec pod = KubernetesObjects.deployment(PLAN, SETTINGS).getSpec().getTemplate().getSpec();
        Container container = pod.getContainers().getFirst();

        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        assertThat(pod.getAutomountServiceAccountToken()).isFalse();
        assertThat(container.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(container.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    }

    @Test
    void scratchSpaceIsAnEmptyDirOnTmpHoldingTheWorkDir() {
        PodSpec pod = KubernetesObjects.deployment(PLAN, SETTINGS).getSpec().getTemplate().getSpec();

        assertThat(pod.getVolumes()).singleElement().satisfies(volume -> {
            assertThat(volume.getName()).isEqualTo("scratch");
            assertThat(volume.getEmptyDir()).isNotNull();
        });
        assertThat(pod.getContainers().getFirst().getVolumeMounts()).singleElement()
                .satisfies(mount -> assertThat(mount.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getContainers().getFirst().getArgs()).contains("--work-dir=/tmp/modelward-runtime");
    }

    @Test
    void resourcesComeFromTheSpec() {
        DeploymentSpec spec = TestPlans.spec("wards", "digits-prod", 1);
        spec = new DeploymentSpec(spec.name(), spec.model(), spec.version(), spec.target(), spec.namespace(), 1, 4,
                ScaleMetric.CPU, 70, 0, new Resources("250m", "1500m", "512Mi", "1Gi"), spec.desiredState());

        Container container = container(KubernetesObjects.deployment(TestPlans.plan(spec, 1), SETTINGS));

        assertThat(container.getResources().getRequests())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", new Quantity("250m"), "memory",
                        new Quantity("512Mi")));
        assertThat(container.getResources().getLimits())
                .containsExactlyInAnyOrderEntriesOf(Map.of("cpu", new Quantity("1500m"), "memory",
                        new Quantity("1Gi")));
        assertThat(container.getArgs()).contains("--workers=1", "--intra-op-threads=1");
    }

    @Test
    void podTemplateIsAnnotatedForPrometheus() {
        Deployment deployment = KubernetesObjects.deployment(PLAN, SETTINGS);

        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsAllEntriesOf(Map.of(
                "prometheus.io/scrape", "true", "prometheus.io/port", "8080", "prometheus.io/path", "/metrics"));
    }

    @Test
    void argsCarryTheModelAndLabelsWithTheirSha256AndTheProcessingFlags() {
        assertThat(container(KubernetesObjects.deployment(PLAN, SETTINGS)).getArgs()).containsExactly(
                "--model-uri=http://modelward-portal.modelward.svc:8080/internal/artifacts/" + TestPlans.MODEL_SHA,
                "--sha256=" + TestPlans.MODEL_SHA,
                "--format=TORCHSCRIPT",
                "--model-name=digits",
                "--model-version=1.0.0",
                "--labels-uri=http://modelward-portal.modelward.svc:8080/internal/artifacts/" + TestPlans.LABELS_SHA,
                "--labels-sha256=" + TestPlans.LABELS_SHA,
                "--image-color=grayscale",
                "--image-crop=8",
                "--host=0.0.0.0",
                "--port=8080",
                "--workers=2",
                "--intra-op-threads=1",
                "--work-dir=/tmp/modelward-runtime");
    }

    @Test
    void argsLeaveOutLabelsWhenTheVersionHasNone() {
        RuntimeSpec runtime = new RuntimeSpec("digits", "1.0.0", "MAR", TestPlans.MODEL_SHA, "digits.mar", null,
                null, Map.of(), TestPlans.TOKEN);

        List<String> args = RuntimePod.args(new DeploymentPlan(PLAN.spec(), runtime, 1), SETTINGS);

        assertThat(args).contains("--format=MAR").noneMatch(arg -> arg.startsWith("--labels"));
    }

    @Test
    void tokensComeFromTheSecretAndNeverAppearInTheDeployment() {
        Deployment deployment = KubernetesObjects.deployment(PLAN, SETTINGS);

        assertThat(container(deployment).getEnv()).extracting(EnvVar::getName, EnvVar::getValue,
                        env -> env.getValueFrom().getSecretKeyRef().getName(),
                        env -> env.getValueFrom().getSecretKeyRef().getKey())
                .containsExactlyInAnyOrder(
                        tuple("MODELWARD_TOKEN", null, "digits-prod-tokens", "token"),
                        tuple("MODELWARD_ARTIFACT_TOKEN", null, "digits-prod-tokens",
                                "artifact-token"));
        assertThat(Serialization.asJson(deployment)).doesNotContain(TestPlans.TOKEN, TestPlans.ARTIFACT_TOKEN);
    }

    @Test
    void secretHoldsTheInternalAndArtifactTokens() {
        Secret secret = KubernetesObjects.secret(PLAN, SETTINGS, OWNER);

        assertThat(secret.getMetadata().getName()).isEqualTo("digits-prod-tokens");
        assertThat(secret.getData()).containsExactlyInAnyOrderEntriesOf(Map.of(
                "token", base64(TestPlans.TOKEN), "artifact-token", base64(TestPlans.ARTIFACT_TOKEN)));
    }

    @Test
    void aNewTokenChangesThePodTemplateSoThePodsRestart() {
        RuntimeSpec rotated = new RuntimeSpec("digits", "1.0.0", "TORCHSCRIPT", TestPlans.MODEL_SHA, "digits.pt",
                null, null, Map.of(), "a-rotated-token");

        String before = KubernetesObjects.deployment(PLAN, SETTINGS).getSpec().getTemplate().getMetadata()
                .getAnnotations().get(KubernetesObjects.TOKENS_HASH);
        String after = KubernetesObjects.deployment(new DeploymentPlan(PLAN.spec(), rotated, 2), SETTINGS).getSpec()
                .getTemplate().getMetadata().getAnnotations().get(KubernetesObjects.TOKENS_HASH);

        assertThat(after).isNotEqualTo(before).hasSize(64);
    }

    @Test
    void serviceSendsItsPortToTheRuntimesNamedPort() {
        Service service = KubernetesObjects.service(PLAN.spec(), OWNER);

        assertThat(service.getSpec().getType()).isEqualTo("ClusterIP");
        assertThat(service.getSpec().getSelector()).isEqualTo(Map.of("modelward.io/deployment", "digits-prod"));
        assertThat(service.getSpec().getPorts()).singleElement().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(80);
            assertThat(port.getTargetPort().getStrVal()).isEqualTo("http");
        });
        assertThat(KubernetesObjects.endpoint(PLAN.spec())).isEqualTo("http://digits-prod.wards.svc:80");
    }

    @ParameterizedTest
    @CsvSource({
            "CPU,      70, Resource, cpu,                         Utilization,  70, ",
            "INFLIGHT,  4, Pods,     modelward_inflight_requests, AverageValue,   , 4"})
    void autoscalerWatchesTheChosenMetric(ScaleMetric metric, int target, String type, String name,
            String targetType, Integer utilization, String averageValue) {
        DeploymentSpec spec = withMetric(metric, target);

        HorizontalPodAutoscaler hpa = KubernetesObjects.horizontalPodAutoscaler(spec, OWNER);

        assertThat(hpa.getSpec().getMinReplicas()).isEqualTo(2);
        assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(4);
        assertThat(hpa.getSpec().getScaleTargetRef().getKind()).isEqualTo("Deployment");
        assertThat(hpa.getSpec().getScaleTargetRef().getName()).isEqualTo("digits-prod");
        MetricSpec watched = hpa.getSpec().getMetrics().getFirst();
        assertThat(hpa.getSpec().getMetrics()).hasSize(1);
        assertThat(watched.getType()).isEqualTo(type);
        if (metric == ScaleMetric.CPU) {
            assertThat(watched.getResource().getName()).isEqualTo(name);
            assertThat(watched.getResource().getTarget().getType()).isEqualTo(targetType);
            assertThat(watched.getResource().getTarget().getAverageUtilization()).isEqualTo(utilization);
        }
        else {
            assertThat(watched.getPods().getMetric().getName()).isEqualTo(name);
            assertThat(watched.getPods().getTarget().getType()).isEqualTo(targetType);
            assertThat(watched.getPods().getTarget().getAverageValue()).isEqualTo(new Quantity(averageValue));
        }
    }

    @ParameterizedTest
    @CsvSource({"1, false", "2, true", "3, true"})
    void disruptionBudgetOnlyFromTwoReplicasAllowingOneDown(int minReplicas, boolean expected) {
        DeploymentSpec spec = TestPlans.spec("wards", "digits-prod", minReplicas);

        var budget = KubernetesObjects.podDisruptionBudget(spec, OWNER);

        assertThat(budget.isPresent()).isEqualTo(expected);
        budget.map(PodDisruptionBudget::getSpec).ifPresent(pdb -> {
            assertThat(pdb.getMaxUnavailable().getIntVal()).isEqualTo(1);
            assertThat(pdb.getMinAvailable()).isNull();
            assertThat(pdb.getSelector().getMatchLabels()).isEqualTo(Map.of("modelward.io/deployment",
                    "digits-prod"));
        });
    }

    @ParameterizedTest
    @CsvSource({
            "digits,                digits",
            "1.0.0,                 1.0.0",
            "1.0.0+build.7,         1.0.0-build.7",
            "-leading.and.trailing_, leading.and.trailing",
            "résumé model,          r-sum--model",
            "'',                    ''"})
    void sanitisesLabelValues(String value, String expected) {
        assertThat(KubernetesObjects.labelValue(value)).isEqualTo(expected);
    }

    @Test
    void shortensLongLabelValuesKeepingThemApart() {
        String first = KubernetesObjects.labelValue("v".repeat(70) + "-one");
        String second = KubernetesObjects.labelValue("v".repeat(70) + "-two");

        assertThat(List.of(first, second)).allSatisfy(value -> assertThat(value).hasSize(63)
                .matches("[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?").startsWith("v".repeat(54)));
        assertThat(first).isNotEqualTo(second);
    }

    @ParameterizedTest
    @CsvSource({"500m, 1, 1", "1, 1, 1", "2, 1, 2", "3500m, 1, 3", "4, 2, 2", "1, 2, 1"})
    void workersAreTheWholeCpusOfTheLimitPerThreadsEach(String cpuLimit, int threads, int workers) {
        KubernetesSettings settings = new KubernetesSettings(SETTINGS.runtimeImage(), "IfNotPresent",
                SETTINGS.artifactBaseUrl(), SETTINGS.artifactToken(), 8080, 120, threads, null);

        assertThat(RuntimePod.workers(new Resources("100m", cpuLimit, "1Gi", "1Gi"), settings))
                .isEqualTo(workers);
    }

    @Test
    void settingsNeverPrintTheArtifactToken() {
        assertThat(SETTINGS.toString()).doesNotContain(TestPlans.ARTIFACT_TOKEN);
    }

    private static DeploymentSpec withMetric(ScaleMetric metric, int target) {
        DeploymentSpec spec = PLAN.spec();
        return new DeploymentSpec(spec.name(), spec.model(), spec.version(), spec.target(), spec.namespace(),
                spec.minReplicas(), spec.maxReplicas(), metric, target, spec.idleSeconds(), spec.resources(),
                spec.desiredState());
    }

    private static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().getFirst();
    }

    private static Deployment created(Deployment deployment) {
        deployment.getMetadata().setUid("uid-of-digits-prod");
        return deployment;
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
