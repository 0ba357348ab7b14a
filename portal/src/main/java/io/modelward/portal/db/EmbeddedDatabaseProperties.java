package io.modelward.portal.db;

import java.nio.file.Path;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The embedded PostgreSQL of the default run, under {@code modelward.database.embedded}. It is used whenever
 * {@code spring.datasource.url} is not set.
 *
 * @param dataDir the PostgreSQL data directory; kept across restarts
 * @param port the port on 127.0.0.1; 0 picks a free one at each start
 * @param ephemeral start with an empty database in a temporary directory and delete it on stop (tests)
 */
@Validated
@ConfigurationProperties("modelward.database.embedded")
public record EmbeddedDatabaseProperties(@Nullable Path dataDir, @DefaultValue("0") @Min(0) @Max(65535) int port,
        @DefaultValue("false") boolean ephemeral) {
}
