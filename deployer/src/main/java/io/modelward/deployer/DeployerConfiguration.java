package io.modelward.deployer;

import java.nio.file.Path;

import io.modelward.catalog.store.ArtifactStore;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/** The deployer's beans: the token key, and the local backend (always available: it is the embedded default). */
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

    private static Path dataDir(Environment environment) {
        return Path.of(environment.getProperty("modelward.data-dir", System.getProperty("user.home") + "/.modelward"));
    }
}
