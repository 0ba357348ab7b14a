package io.modelward.portal.prod;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import io.modelward.portal.security.KeycloakProperties;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Environment;

/**
 * The {@code prod} profile's guard: before anything starts (no embedded database, no generated key, no local
 * accounts), checks that the installation gave every setting production needs, and stops the start with one sentence
 * per missing or invalid setting. Production never falls back to the embedded defaults.
 *
 * <p>It needs: the hospital's PostgreSQL; Keycloak single sign-on; the Kubernetes deployer (runtime image, the URL
 * pods fetch artifacts from); an artifact store path on a volume; and the deployer's token key from a file (a Secret
 * that every portal replica shares). {@code application-prod.properties} turns on what prod implies and blanks the
 * defaults that must not apply silently.
 */
public class ProductionProfile implements EnvironmentPostProcessor, Ordered {

    public static final String PROFILE = "prod";

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        if (environment.matchesProfiles(PROFILE)) {
            List<String> problems = problems(environment);
            if (!problems.isEmpty()) {
                throw new ProductionSettingsException(problems);
            }
        }
    }

    /** After the configuration files are read, so {@code application-prod.properties} counts. */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /** Every problem with the production settings, one clear sentence each; empty when the portal may start. */
    public static List<String> problems(Environment environment) {
        List<String> problems = new ArrayList<>();
        database(environment, problems);
        KeycloakProperties keycloak = Binder.get(environment).bindOrCreate("modelward.security.keycloak",
                KeycloakProperties.class);
        if (!keycloak.enabled()) {
            problems.add("modelward.security.keycloak.enabled must be true: prod logs people in through the "
                    + "hospital's Keycloak and has no local accounts");
        }
        else {
            problems.addAll(keycloak.problems());
        }
        deployer(environment, problems);
        String artifacts = text(environment, "modelward.catalog.artifact-dir");
        if (artifacts == null) {
            problems.add("modelward.catalog.artifact-dir (MODELWARD_CATALOG_ARTIFACT_DIR) is required: an absolute "
                    + "path on a persistent volume where approved model files are kept");
        }
        else {
            directory("modelward.catalog.artifact-dir", artifacts, problems);
        }
        String key = text(environment, "modelward.deployer.token-key-file");
        if (key == null) {
            problems.add("modelward.deployer.token-key-file (MODELWARD_DEPLOYER_TOKEN_KEY_FILE) is required: a file "
                    + "from a Secret holding the key that derives the runtimes' tokens, the same for every portal "
                    + "replica");
        }
        else if (!Files.isReadable(Path.of(key))) {
            problems.add("modelward.deployer.token-key-file: '" + key + "' is not a readable file");
        }
        if (environment.getProperty("modelward.demo.enabled", Boolean.class, false)) {
            problems.add("modelward.demo.enabled must be false: prod starts with an empty catalog");
        }
        return problems;
    }

    private static void database(Environment environment, List<String> problems) {
        String url = text(environment, "spring.datasource.url");
        if (url == null) {
            problems.add("spring.datasource.url (SPRING_DATASOURCE_URL) is required: the hospital's PostgreSQL, e.g. "
                    + "jdbc:postgresql://postgres.hospital:5432/modelward (prod never starts the embedded database)");
        }
        else if (!url.startsWith("jdbc:postgresql://")) {
            problems.add("spring.datasource.url must be a PostgreSQL JDBC URL starting with jdbc:postgresql://, not '"
                    + url + "'");
        }
        if (text(environment, "spring.datasource.username") == null) {
            problems.add("spring.datasource.username (SPRING_DATASOURCE_USERNAME) is required");
        }
        if (text(environment, "spring.datasource.password") == null) {
            problems.add("spring.datasource.password (SPRING_DATASOURCE_PASSWORD) is required");
        }
    }

    private static void deployer(Environment environment, List<String> problems) {
        String target = text(environment, "modelward.deployer.default-target");
        if (!"KUBERNETES".equals(target == null ? null : target.toUpperCase(Locale.ROOT))) {
            problems.add("modelward.deployer.default-target must be KUBERNETES in prod, not " + target
                    + " (local runtime processes are for one machine)");
        }
        if (!environment.getProperty("modelward.deployer.kubernetes.enabled", Boolean.class, false)) {
            problems.add("modelward.deployer.kubernetes.enabled must be true in prod");
        }
        if (text(environment, "modelward.deployer.kubernetes.runtime-image") == null) {
            problems.add("modelward.deployer.kubernetes.runtime-image (MODELWARD_DEPLOYER_KUBERNETES_RUNTIME_IMAGE) "
                    + "is required: the inference runtime's image in the hospital's registry");
        }
        String artifactBase = text(environment, "modelward.deployer.kubernetes.artifact-base-url");
        if (artifactBase == null) {
            problems.add("modelward.deployer.kubernetes.artifact-base-url "
                    + "(MODELWARD_DEPLOYER_KUBERNETES_ARTIFACT_BASE_URL) is required: the portal's /internal/artifacts "
                    + "as runtime pods reach it, e.g. http://modelward.modelward.svc/internal/artifacts");
        }
        else if (!httpUrl(artifactBase)) {
            problems.add("modelward.deployer.kubernetes.artifact-base-url must be an absolute http(s) URL, not '"
                    + artifactBase + "'");
        }
        String namespace = environment.getProperty("modelward.deployer.default-namespace", "modelward-models");
        if (!namespace.matches("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")) {
            problems.add("modelward.deployer.default-namespace must be a Kubernetes namespace name, not '" + namespace
                    + "'");
        }
    }

    private static void directory(String name, String value, List<String> problems) {
        Path path = Path.of(value);
        if (!path.isAbsolute()) {
            problems.add(name + " must be an absolute path, not '" + value + "'");
        }
        else if (Files.exists(path) && !(Files.isDirectory(path) && Files.isWritable(path))) {
            problems.add(name + ": '" + value + "' is not a writable directory");
        }
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = URI.create(value);
            return uri.isAbsolute() && uri.getHost() != null && List.of("http", "https").contains(uri.getScheme());
        }
        catch (IllegalArgumentException ex) {
            return false;
        }
    }

    private static @Nullable String text(Environment environment, String name) {
        String value = environment.getProperty(name);
        return value == null || value.isBlank() ? null : value.strip();
    }
}
