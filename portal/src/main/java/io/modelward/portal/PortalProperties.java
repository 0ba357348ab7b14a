package io.modelward.portal;

import java.nio.file.Path;

import jakarta.validation.constraints.NotNull;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Settings of the portal, under {@code modelward}.
 *
 * @param dataDir where the embedded default keeps its database, artifacts and local accounts
 */
@Validated
@ConfigurationProperties("modelward")
public record PortalProperties(@NotNull(message = "modelward.data-dir must name a writable directory") Path dataDir) {
}
