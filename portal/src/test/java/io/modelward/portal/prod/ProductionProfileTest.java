package io.modelward.portal.prod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import io.modelward.ModelWardApplication;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.core.env.AbstractEnvironment;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.io.support.ResourcePropertySource;

/**
 * The {@code prod} profile refuses to start, before anything else happens, on each missing or invalid setting, with
 * a sentence that names it; and a complete set passes the check.
 */
class ProductionProfileTest {

    @TempDir
    static Path volume;

    Map<String, Object> settings;

    @BeforeEach
    void completeSettings() throws IOException {
        Path key = Files.writeString(volume.resolve("token.key"), "k".repeat(64));
        settings = new HashMap<>(Map.of(
                "spring.datasource.url", "jdbc:postgresql://postgres.hospital:5432/modelward",
                "spring.datasource.username", "modelward",
                "spring.datasource.password", "from-a-secret",
                "modelward.security.keycloak.issuer-uri", "https://sso.hospital.example/realms/hospital",
                "modelward.security.keycloak.client-secret", "from-another-secret",
                "modelward.deployer.kubernetes.runtime-image", "registry.hospital/modelward/inference-runtime:0.1.0",
                "modelward.deployer.kubernetes.artifact-base-url", "http://modelward.modelward.svc/internal/artifacts",
                "modelward.catalog.artifact-dir", volume.resolve("artifacts").toString(),
                "modelward.deployer.token-key-file", key.toString()));
    }

    @Test
    void acceptsACompleteSetOfProductionSettings() throws IOException {
        assertThat(problems()).isEmpty();
    }

    static Stream<Arguments> missingOrInvalid() {
        return Stream.of(
                Arguments.of("spring.datasource.url", "", "spring.datasource.url (SPRING_DATASOURCE_URL) is required"),
                Arguments.of("spring.datasource.url", "jdbc:h2:mem:x", "must be a PostgreSQL JDBC URL"),
                Arguments.of("spring.datasource.username", "", "spring.datasource.username"),
                Arguments.of("spring.datasource.password", "", "spring.datasource.password"),
                Arguments.of("modelward.security.keycloak.issuer-uri", "", "modelward.security.keycloak.issuer-uri is required"),
                Arguments.of("modelward.security.keycloak.issuer-uri", "https://sso.hospital.example/", "ending in /realms/"),
                Arguments.of("modelward.security.keycloak.client-secret", "", "modelward.security.keycloak.client-secret is required"),
                Arguments.of("modelward.security.keycloak.enabled", "false", "modelward.security.keycloak.enabled must be true"),
                Arguments.of("modelward.deployer.default-target", "LOCAL", "modelward.deployer.default-target must be KUBERNETES"),
                Arguments.of("modelward.deployer.kubernetes.enabled", "false", "modelward.deployer.kubernetes.enabled must be true"),
                Arguments.of("modelward.deployer.kubernetes.runtime-image", "", "runtime-image (MODELWARD_DEPLOYER_KUBERNETES_RUNTIME_IMAGE) is required"),
                Arguments.of("modelward.deployer.kubernetes.artifact-base-url", "", "artifact-base-url (MODELWARD_DEPLOYER_KUBERNETES_ARTIFACT_BASE_URL) is required"),
                Arguments.of("modelward.deployer.kubernetes.artifact-base-url", "modelward/internal", "must be an absolute http(s) URL"),
                Arguments.of("modelward.deployer.default-namespace", "Models_NS", "must be a Kubernetes namespace name"),
                Arguments.of("modelward.catalog.artifact-dir", "", "modelward.catalog.artifact-dir (MODELWARD_CATALOG_ARTIFACT_DIR) is required"),
                Arguments.of("modelward.catalog.artifact-dir", "relative/artifacts", "must be an absolute path"),
                Arguments.of("modelward.deployer.token-key-file", "", "token-key-file (MODELWARD_DEPLOYER_TOKEN_KEY_FILE) is required"),
                Arguments.of("modelward.deployer.token-key-file", "/nonexistent/token.key", "is not a readable file"),
                Arguments.of("modelward.demo.enabled", "true", "modelward.demo.enabled must be false"));
    }

    @ParameterizedTest(name = "{0} = ''{1}''")
    @MethodSource("missingOrInvalid")
    void refusesToStartAndNamesTheSettingThatIsMissingOrInvalid(String name, String value, String message)
            throws IOException {
        settings.put(name, value);
        assertThat(problems()).singleElement().asString().contains(message);
    }

    @Test
    void stopsTheStartBeforeAnythingElseWithEveryProblemListed() {
        SpringApplication app = new SpringApplicationBuilder(ModelWardApplication.class).profiles("prod")
                .web(WebApplicationType.NONE).properties("modelward.data-dir=" + volume.resolve("data")).build();
        assertThatExceptionOfType(ProductionSettingsException.class).isThrownBy(() -> app.run())
                .satisfies(ex -> assertThat(ex.problems()).hasSizeGreaterThanOrEqualTo(6)
                        .anySatisfy(p -> assertThat(p).startsWith("spring.datasource.url"))
                        .anySatisfy(p -> assertThat(p).startsWith("modelward.security.keycloak.issuer-uri"))
                        .anySatisfy(p -> assertThat(p).startsWith("modelward.catalog.artifact-dir")));
        assertThat(volume.resolve("data")).as("nothing embedded was started or written").doesNotExist();
    }

    @Test
    void saysWhatToDoInSpringBootsStartupFailureReport() {
        var analysis = new ProductionSettingsFailureAnalyzer().analyze(new ProductionSettingsException(
                List.of("spring.datasource.url (SPRING_DATASOURCE_URL) is required")));
        assertThat(analysis.getDescription()).contains(" - spring.datasource.url (SPRING_DATASOURCE_URL) is required");
        assertThat(analysis.getAction()).contains("never falls back to the embedded defaults");
    }

    /** The check on the settings layered as Spring Boot layers them: given ones over prod's file over the defaults. */
    private List<String> problems() throws IOException {
        ConfigurableEnvironment environment = new AbstractEnvironment() {
        };
        environment.setActiveProfiles("prod");
        environment.getPropertySources().addLast(new MapPropertySource("installation", settings));
        environment.getPropertySources().addLast(new ResourcePropertySource("classpath:application-prod.properties"));
        environment.getPropertySources().addLast(new ResourcePropertySource("classpath:application.properties"));
        return ProductionProfile.problems(environment);
    }
}
