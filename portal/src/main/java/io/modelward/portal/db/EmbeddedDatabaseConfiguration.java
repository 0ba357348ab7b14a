package io.modelward.portal.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.modelward.portal.PortalProperties;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * The embedded default: a real PostgreSQL 17 from the zonky binaries on the classpath, listening on loopback only,
 * with its data under {@code modelward.data-dir}, supervised ({@link EmbeddedDatabase}): started again when it dies.
 * It backs off as soon as {@code spring.datasource.url} is set.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(NoExternalDatabaseCondition.class)
class EmbeddedDatabaseConfiguration {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabaseConfiguration.class);

    @Bean(destroyMethod = "close")
    EmbeddedDatabase embeddedDatabase(EmbeddedDatabaseProperties properties, PortalProperties portal)
            throws IOException {
        Path dataDir;
        if (properties.ephemeral()) {
            dataDir = Files.createTempDirectory("modelward-postgres-");
        }
        else {
            dataDir = properties.dataDir() != null ? properties.dataDir() : portal.dataDir().resolve("postgres");
            Files.createDirectories(dataDir);
            StalePostmaster.stopIfRunning(dataDir);
        }
        long started = System.nanoTime();
        EmbeddedDatabase database = EmbeddedDatabase.start(dataDir, properties.port(), properties.ephemeral(),
                port -> builder(port, properties.ephemeral()));
        log.info("Embedded PostgreSQL ready on 127.0.0.1:{} in {} ms{}", database.port(),
                (System.nanoTime() - started) / 1_000_000, properties.ephemeral() ? " (ephemeral)" : "");
        return database;
    }

    private static EmbeddedPostgres.Builder builder(int port, boolean ephemeral) {
        EmbeddedPostgres.Builder builder = EmbeddedPostgres.builder()
                .setServerConfig("listen_addresses", "127.0.0.1")
                .setServerConfig("max_connections", "50")
                .setPGStartupWait(Duration.ofSeconds(60))
                // stopped by the portal as it closes, after its last audit records are written; the library's own
                // hook would stop it earlier, in parallel, and the supervisor would start it again
                .setRegisterShutdownHook(false);
        if (port > 0) {
            builder.setPort(port);
        }
        if (!ephemeral) {
            // the library's defaults are for throw-away test databases (no fsync); kept data, the audit trail
            // above all, must survive a power cut
            builder.setServerConfig("fsync", "on").setServerConfig("synchronous_commit", "on")
                    .setServerConfig("full_page_writes", "on");
        }
        return builder;
    }

    /** How long a request waits for a database connection (also {@code spring.datasource.hikari.connection-timeout}). */
    static final long CONNECTION_TIMEOUT_MILLIS = 5_000;

    @Bean
    DataSource dataSource(EmbeddedDatabase database) {
        HikariConfig config = new HikariConfig();
        // the same URL after a restart: the supervisor starts PostgreSQL again on the same port
        config.setJdbcUrl(database.jdbcUrl());
        config.setUsername("postgres");
        config.setPoolName("modelward-embedded");
        config.setMaximumPoolSize(10);
        // fail fast when the database is gone: the gateway then answers 503 rather than holding requests for 30 s
        config.setConnectionTimeout(CONNECTION_TIMEOUT_MILLIS);
        return new HikariDataSource(config);
    }
}
