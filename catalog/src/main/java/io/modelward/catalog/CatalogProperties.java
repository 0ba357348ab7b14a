package io.modelward.catalog;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the catalog, under {@code modelward.catalog}.
 *
 * @param artifactDir where the content-addressed artifact store keeps its files
 * @param maxArtifactSize the largest model artifact accepted; enforced while the upload streams in
 * @param maxLabelsSize the largest labels file accepted
 * @param maxArchiveEntries the most entries a zip-based artifact (TorchScript, {@code .mar}) may hold
 * @param maxUnpackedSize the most bytes a zip-based artifact may inflate to
 * @param maxCompressionRatio the highest overall compression ratio accepted before an archive counts as a zip bomb
 */
@Validated
@ConfigurationProperties("modelward.catalog")
public record CatalogProperties(
        @NotNull(message = "modelward.catalog.artifact-dir must name a directory for uploaded artifacts") Path artifactDir,
        @DefaultValue("2GB") DataSize maxArtifactSize,
        @DefaultValue("1MB") DataSize maxLabelsSize,
        @DefaultValue("10000") @Min(1) int maxArchiveEntries,
        @DefaultValue("8GB") DataSize maxUnpackedSize,
        @DefaultValue("100") @Min(2) @Max(100_000) int maxCompressionRatio) {
}
