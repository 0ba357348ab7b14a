package io.modelward.catalog;

import io.modelward.catalog.store.ArtifactStore;
import io.modelward.catalog.store.ZipInspector;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(CatalogProperties.class)
class CatalogConfiguration {

    @Bean
    ArtifactStore artifactStore(CatalogProperties properties) {
        return new ArtifactStore(properties.artifactDir());
    }

    @Bean
    ZipInspector zipInspector(CatalogProperties properties) {
        return new ZipInspector(properties.maxArchiveEntries(), properties.maxUnpackedSize().toBytes(),
                properties.maxCompressionRatio());
    }
}
