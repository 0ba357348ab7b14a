package io.modelward.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPeer;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.deployer.DesiredState;
import io.modelward.deployer.Resources;
import io.modelward.deployer.ScaleMetric;
import io.modelward.deployer.kubernetes.KubernetesObjects;
import io.modelward.deployer.kubernetes.KubernetesRights;
import io.modelward.deployer.kubernetes.KubernetesSettings;
import io.modelward.portal.prod.ProductionProfile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The Helm chart {@code helm/modelward}, rendered by an embedded Helm (helm-java) and read with fabric8's model
 * classes: what it installs, the least-privilege RBAC the deployer's code needs, the network policy that lets only the
 * portal reach runtime pods, the values that reach the portal's environment (checked by the prod profile's own
 * check), the schema that refuses wrong values, a strict lint, and images that match the chart.
 */
class HelmChartTest {

    static final Path CHART = Path.of(System.getProperty("modelward.chart", "../../helm/modelward"));
    static final Path ROOT = Path.of(System.getProperty("modelward.repo.root", "../.."));
    static final KubernetesSerialization YAML = new KubernetesSerialization();
    static final String RELEASE = "ward";
    static final String NAMESPACE = "modelward";

    static List<HasMetadata> installed;

    @BeforeAll
    static void renderWithTheCiValues() {
        installed = render(Map.of());
    }

    @Test
    void installsThePortalWithItsServiceAccessAndStorageAndNothingClusterWide() {
        assertThat(installed).extracting(o -> o.getKind() + " " + o.getMetadata().getName()).containsExactlyInAnyOrder(
                "ConfigMap ward-modelward", "Deployment ward-modelward", "Service ward-modelward",
                "ServiceAccount ward-modelward", "Role ward-modelward-deployer", "RoleBinding ward-modelward-deployer",
                "NetworkPolicy ward-modelward-runtimes", "PodDisruptionBudget ward-modelward",
                "PersistentVolumeClaim ward-modelward-artifacts");
        assertThat(installed).allSatisfy(object -> assertThat(object.getMetadata().getLabels())
                .containsEntry("app.kubernetes.io/name", "modelward").containsEntry("app.kubernetes.io/instance", RELEASE)
                .containsEntry("app.kubernetes.io/managed-by", "Helm").containsEntry("helm.sh/chart", "modelward-0.1.0")
                .containsKey("app.kubernetes.io/version"));
        assertThat(one(PersistentVolumeClaim.class).getMetadata().getAnnotations())
                .containsEntry("helm.sh/resource-policy", "keep");
        assertThat(installed).as("secrets are the installation's, never generated or stored by the chart")
                .noneMatch(Secret.class::isInstance);
        assertThat(one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes())
                .filteredOn(v -> v.getSecret() != null).extracting(v -> v.getSecret().getSecretName())
                .containsExactly("modelward-token-key");
    }

    @Test
    void runsThePortalNonRootOnAReadOnlyRootWithProbesOnActuatorHealthGroups() {
        Deployment deployment = one(Deployment.class);
        assertThat(deployment.getSpec().getSelector().getMatchLabels()).containsOnly(
                Map.entry("app.kubernetes.io/name", "modelward"), Map.entry("app.kubernetes.io/instance", RELEASE),
                Map.entry("app.kubernetes.io/component", "portal"));
        assertThat(deployment.getSpec().getTemplate().getMetadata().getLabels())
                .containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
        PodSpec pod = deployment.getSpec().getTemplate().getSpec();
        assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
        assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(10001L);
        assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
        Container portal = pod.getContainers().getFirst();
        assertThat(portal.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
        assertThat(portal.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
        assertThat(portal.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
        assertThat(portal.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath()).isEqualTo("/tmp"));
        assertThat(pod.getVolumes()).anySatisfy(v -> {
            assertThat(v.getName()).isEqualTo("tmp");
            assertThat(v.getEmptyDir()).isNotNull();
        });
        assertThat(portal.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(portal.getStartupProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/liveness");
        assertThat(portal.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/actuator/health/readiness");
        assertThat(portal.getResources().getRequests()).containsKeys("cpu", "memory");
        assertThat(portal.getResources().getLimits()).containsKey("memory");
        assertThat(portal.getImage()).isEqualTo("ghcr.io/modelward/portal:0.1.0");
        Service service = one(Service.class);
        assertThat(service.getSpec().getSelector()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
        assertThat(service.getSpec().getPorts().getFirst().getTargetPort().getStrVal()).isEqualTo("http");
        assertThat(portal.getPorts().getFirst().getContainerPort()).isEqualTo(8080);
        PodDisruptionBudget budget = one(PodDisruptionBudget.class);
        assertThat(budget.getSpec().getSelector().getMatchLabels()).isEqualTo(deployment.getSpec().getSelector().getMatchLabels());
    }

    @Test
    void grantsExactlyTheDeployersRightsInTheModelsNamespaceOnly() {
        Role role = one(Role.class);
        assertThat(role.getMetadata().getNamespace()).isEqualTo("modelward-models");
        Map<String, Set<String>> granted = new TreeMap<>();
        role.getRules().forEach(rule -> rule.getApiGroups().forEach(group -> rule.getResources().forEach(resource ->
                granted.computeIfAbsent(group + "/" + resource, k -> new TreeSet<>()).addAll(rule.getVerbs()))));
        Map<String, Set<String>> needed = new TreeMap<>();
        KubernetesRights.RULES.forEach(rule -> needed.put(rule.apiGroup() + "/" + rule.resource(), new TreeSet<>(rule.verbs())));
        assertThat(granted).as("the chart's Role is the deployer's list, no more and no less").isEqualTo(needed);

        RoleBinding binding = one(RoleBinding.class);
        assertThat(binding.getMetadata().getNamespace()).isEqualTo("modelward-models");
        assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
        assertThat(binding.getSubjects()).singleElement().satisfies(subject -> {
            assertThat(subject.getKind()).isEqualTo("ServiceAccount");
            assertThat(subject.getName()).isEqualTo(one(Deployment.class).getSpec().getTemplate().getSpec()
                    .getServiceAccountName());
            assertThat(subject.getNamespace()).isEqualTo(NAMESPACE);
        });
        assertThat(installed).noneMatch(o -> o.getKind().startsWith("Cluster"));
    }

    @Test
    void letsOnlyThePortalReachRuntimePodsOnTheirPort() {
        NetworkPolicy policy = one(NetworkPolicy.class);
        assertThat(policy.getMetadata().getNamespace()).isEqualTo("modelward-models");
        DeploymentSpec spec = new DeploymentSpec("digits", "digits", "1.0", DeploymentTarget.KUBERNETES,
                "modelward-models", 1, 2, ScaleMetric.CPU, 70, 0, Resources.DEFAULT, DesiredState.RUNNING);
        assertThat(KubernetesObjects.labels(spec)).as("the deployer's runtime pods are the ones selected")
                .containsAllEntriesOf(policy.getSpec().getPodSelector().getMatchLabels());
        assertThat(policy.getSpec().getPodSelector().getMatchLabels()).isNotEmpty();
        assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
        assertThat(policy.getSpec().getIngress()).singleElement().satisfies(rule -> {
            NetworkPolicyPeer from = rule.getFrom().getFirst();
            assertThat(rule.getFrom()).hasSize(1);
            assertThat(from.getNamespaceSelector().getMatchLabels())
                    .containsExactly(Map.entry("kubernetes.io/metadata.name", NAMESPACE));
            assertThat(from.getPodSelector().getMatchLabels())
                    .isEqualTo(one(Deployment.class).getSpec().getSelector().getMatchLabels());
            assertThat(rule.getPorts()).singleElement().satisfies(port -> assertThat(port.getPort().getIntVal())
                    .isEqualTo(KubernetesSettings.DEFAULT_CONTAINER_PORT));
        });
    }

    @Test
    void givesThePortalEverySettingTheProdProfileRequires(@TempDir Path mounts) throws IOException {
        List<HasMetadata> objects = render(Map.of("deployer.modelsNamespace", "radiology-models",
                "deployer.runtimeImage.repository", "registry.hospital/modelward/inference-runtime",
                "deployer.runtimeImage.tag", "0.1.0-h1", "audit.retention", "730d", "keycloak.clientId", "ward-portal",
                "database.existingSecret", "radiology-db"));
        Map<String, String> environment = new LinkedHashMap<>(one(objects, ConfigMap.class).getData());
        assertThat(environment).containsEntry("SPRING_PROFILES_ACTIVE", "prod")
                .containsEntry("SPRING_DATASOURCE_URL", "jdbc:postgresql://postgres.hospital:5432/modelward")
                .containsEntry("MODELWARD_SECURITY_KEYCLOAK_ISSUER_URI", "https://sso.hospital.example/realms/hospital")
                .containsEntry("MODELWARD_SECURITY_KEYCLOAK_CLIENT_ID", "ward-portal")
                .containsEntry("MODELWARD_DEPLOYER_DEFAULT_NAMESPACE", "radiology-models")
                .containsEntry("MODELWARD_DEPLOYER_KUBERNETES_RUNTIME_IMAGE",
                        "registry.hospital/modelward/inference-runtime:0.1.0-h1")
                .containsEntry("MODELWARD_DEPLOYER_KUBERNETES_ARTIFACT_BASE_URL",
                        "http://ward-modelward.modelward.svc/internal/artifacts")
                .containsEntry("MODELWARD_AUDIT_RETENTION", "730d")
                .as("behind the ingress, connections are not limited per address")
                .containsEntry("MODELWARD_CONNECTIONS_MAX_PER_CLIENT", "0");
        Container portal = one(objects, Deployment.class).getSpec().getTemplate().getSpec().getContainers().getFirst();
        Map<String, String> secrets = new HashMap<>();
        for (EnvVar variable : portal.getEnv()) {
            var ref = variable.getValueFrom().getSecretKeyRef();
            secrets.put(variable.getName(), ref.getName() + "/" + ref.getKey());
        }
        assertThat(secrets).containsOnly(Map.entry("SPRING_DATASOURCE_USERNAME", "radiology-db/username"),
                Map.entry("SPRING_DATASOURCE_PASSWORD", "radiology-db/password"),
                Map.entry("MODELWARD_SECURITY_KEYCLOAK_CLIENT_SECRET", "modelward-keycloak/client-secret"));
        assertThat(one(objects, Role.class).getMetadata().getNamespace()).isEqualTo("radiology-models");

        // the pod's environment, its Secrets and mounted files stood in for, passes the prod profile's own check
        secrets.keySet().forEach(name -> environment.put(name, "from-a-secret"));
        Path key = mounts.resolve("token.key");
        Files.writeString(key, "0".repeat(64));
        assertThat(portal.getVolumeMounts()).anySatisfy(m -> assertThat(environment.get("MODELWARD_DEPLOYER_TOKEN_KEY_FILE"))
                .startsWith(m.getMountPath() + "/"));
        assertThat(portal.getVolumeMounts()).anySatisfy(m -> assertThat(m.getMountPath())
                .isEqualTo(environment.get("MODELWARD_CATALOG_ARTIFACT_DIR")));
        environment.put("MODELWARD_DEPLOYER_TOKEN_KEY_FILE", key.toString());
        environment.put("MODELWARD_CATALOG_ARTIFACT_DIR", mounts.resolve("artifacts").toString());
        ConfigurableEnvironment prod = new AbstractEnvironment() {
        };
        prod.setActiveProfiles("prod");
        prod.getPropertySources().addLast(new SystemEnvironmentPropertySource("pod", new HashMap<>(environment)));
        prod.getPropertySources().addLast(new ResourcePropertySource("classpath:application-prod.properties"));
        prod.getPropertySources().addLast(new ResourcePropertySource("classpath:application.properties"));
        assertThat(ProductionProfile.problems(prod)).isEmpty();
    }

    @Test
    void servesTheHostWithTlsThroughAnIngressWhenAsked() {
        assertThat(installed).noneMatch(Ingress.class::isInstance);
        Ingress ingress = one(render(Map.of("ingress.enabled", "true", "ingress.host", "modelward.hospital.example",
                "ingress.className", "nginx")), Ingress.class);
        assertThat(ingress.getSpec().getIngressClassName()).isEqualTo("nginx");
        assertThat(ingress.getSpec().getTls()).singleElement().satisfies(tls -> {
            assertThat(tls.getHosts()).containsExactly("modelward.hospital.example");
            assertThat(tls.getSecretName()).isEqualTo("modelward-tls");
        });
        assertThat(ingress.getSpec().getRules().getFirst().getHttp().getPaths().getFirst().getBackend().getService()
                .getName()).isEqualTo("ward-modelward");
    }

    @Test
    void refusesToRenderWithoutTheRequiredSettingsOrWithValuesOfTheWrongType() {
        assertThatThrownBy(() -> Helm.template(CHART.toString()).withName(RELEASE).withNamespace(NAMESPACE).call())
                .hasMessageContaining("database.url is required");
        assertThatThrownBy(() -> render(Map.of("replicaCount", "two"))).hasMessageContaining("at '/replicaCount'");
        assertThatThrownBy(() -> render(Map.of("service.type", "Internet"))).hasMessageContaining("at '/service/type'");
        assertThatThrownBy(() -> render(Map.of("database.url", "mysql://db/modelward")))
                .hasMessageContaining("at '/database/url'");
        assertThatThrownBy(() -> render(Map.of("audit.retention", "one year")))
                .hasMessageContaining("at '/audit/retention'");
        assertThatThrownBy(() -> render(Map.of("deployer.modelsNamespace", "Models_NS")))
                .hasMessageContaining("at '/deployer/modelsNamespace'");
        assertThatThrownBy(() -> render(Map.of("unknownSetting", "x"))).hasMessageContaining("unknownSetting");
    }

    @Test
    void passesAStrictLintAndTheLintCatchesValuesOfTheWrongType(@TempDir Path copy) throws IOException {
        LintResult lint = new Helm(CHART).lint().strict().call();
        assertThat(lint.isFailed()).as(String.join("\n", lint.getMessages())).isFalse();

        copyTree(CHART, copy);
        Files.writeString(copy.resolve("values.yaml"), Files.readString(CHART.resolve("values.yaml"))
                .replace("replicaCount: 1", "replicaCount: one"));
        LintResult broken = new Helm(copy).lint().strict().call();
        assertThat(broken.isFailed()).isTrue();
        assertThat(String.join("\n", broken.getMessages())).contains("/replicaCount");
    }

    @Test
    void buildsImagesThatRunAsTheUsersAndPortsTheChartAndTheDeployerExpect() throws IOException {
        String portal = Files.readString(ROOT.resolve("portal/Dockerfile"));
        String runtime = Files.readString(ROOT.resolve("inference-runtime/Dockerfile"));
        PodSpec pod = one(Deployment.class).getSpec().getTemplate().getSpec();
        assertThat(instruction(portal, "USER")).isEqualTo(pod.getSecurityContext().getRunAsUser() + ":"
                + pod.getSecurityContext().getRunAsGroup());
        assertThat(instruction(portal, "EXPOSE")).isEqualTo(String.valueOf(pod.getContainers().getFirst().getPorts()
                .getFirst().getContainerPort()));
        assertThat(instruction(runtime, "USER")).isEqualTo(KubernetesObjects.RUNTIME_USER + ":" + KubernetesObjects.RUNTIME_USER);
        assertThat(instruction(runtime, "EXPOSE")).isEqualTo(String.valueOf(KubernetesSettings.DEFAULT_CONTAINER_PORT));
        for (String dockerfile : List.of(portal, runtime)) {
            assertThat(dockerfile).contains("org.opencontainers.image.title", "org.opencontainers.image.source")
                    .contains("FROM gcr.io/distroless/java21-debian12:nonroot");
            Matcher copies = Pattern.compile("(?m)^COPY (target/\\S+)").matcher(dockerfile);
            while (copies.find()) {
                Path module = ROOT.resolve(dockerfile == portal ? "portal" : "inference-runtime");
                assertThat(module.resolve(copies.group(1))).as("built by the README's package command").exists();
            }
        }
    }

    private static String instruction(String dockerfile, String name) {
        List<String> values = dockerfile.lines().filter(l -> l.startsWith(name + " ")).map(l -> l.substring(name.length() + 1).strip())
                .toList();
        assertThat(values).as("the final stage's " + name).isNotEmpty();
        return values.getLast();
    }

    private static List<HasMetadata> render(Map<String, String> settings) {
        TemplateCommand template = Helm.template(CHART.toString()).withName(RELEASE).withNamespace(NAMESPACE)
                .withValuesFile(CHART.resolve("ci/test-values.yaml"));
        settings.forEach(template::set);
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : template.call().split("(?m)^---\\s*$")) {
            if (!document.lines().allMatch(line -> line.isBlank() || line.startsWith("#"))) {
                objects.add((HasMetadata) YAML.unmarshal(document));
            }
        }
        return objects;
    }

    private static <T extends HasMetadata> T one(Class<T> kind) {
        return one(installed, kind);
    }

    private static <T extends HasMetadata> T one(List<HasMetadata> objects, Class<T> kind) {
        List<T> found = objects.stream().filter(kind::isInstance).map(kind::cast).toList();
        assertThat(found).as("one " + kind.getSimpleName()).hasSize(1);
        return found.getFirst();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.sorted(Comparator.naturalOrder()).toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                }
                else {
                    Files.copy(file, target);
                }
            }
        }
    }
}
