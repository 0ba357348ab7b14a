package io.modelward.deployer;

import java.nio.file.Path;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.modelward.catalog.store.ArtifactStore;
import io.modelward.deployer.kubernetes.KubernetesBackend;
import io.modelward.deployer.kubernetes.KubernetesSettings;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The deployer's beans: the token key, the local backend (always available: it is the embedded default) and, when
 * enabled, the Kubernetes backend.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(DeployerProperties.class)
class DeployerConfiguration {

    @Bean
    InternalTokens internalTokens(DeployerProperties properties, Environment environment) {
        Path file = properties.tokenKeyFile() != null ? properties.tokenKeyFile()
                : dataDir(environment).resolve("deployer-token.key");
        return InternalTokens.fromKeyFile(file);
    }

    @Bean
    LocalBackend localBackend(DeployerProperties properties, Environment environment, ArtifactStore artifacts,
            ObjectProvider<Reconciler> reconciler) {
        Path workDir = properties.local().workDir() != null ? properties.local().workDir()
                : dataDir(environment).resolve("deployments");
        return new LocalBackend(properties.local(), workDir, artifacts::path,
                () -> reconciler.getObject().requestPass());
    }

    /** The Kubernetes backend, when enabled; it refuses to start without the settings pods need. */
    @Bean
    @ConditionalOnProperty(name = "modelward.deployer.kubernetes.enabled", havingValue = "true")
    KubernetesBackend kubernetesBackend(DeployerProperties properties, InternalTokens tokens,
            ObjectProvider<KubernetesClient> client) {
        DeployerProperties.Kubernetes k8s = properties.kubernetes();
        if (k8s.artifactBaseUrl() == null) {
            throw new IllegalStateException("modelward.deployer.kubernetes.artifact-base-url is required: where runtime "
                    + "pods fetch approved model files, e.g. http://modelward-portal.modelward.svc/internal/artifacts");
        }
        KubernetesSettings settings = new KubernetesSettings(k8s.runtimeImage(), k8s.imagePullPolicy(),
                k8s.artifactBaseUrl(), tokens.artifactToken(), KubernetesSettings.DEFAULT_CONTAINER_PORT,
                k8s.progressDeadlineSeconds(), k8s.intraOpThreads(), k8s.serviceAccountName());
        return new KubernetesBackend(client.getIfAvailable(() -> new KubernetesClientBuilder().build()), settings);
    }

    private static Path dataDir(Environment environment) {
        return Path.of(environment.getProperty("modelward.data-dir", System.getProperty("user.home") + "/.modelward"));
    }
}
