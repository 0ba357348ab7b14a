package io.modelward.portal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code spring.datasource.url} set, the portal uses that database: the embedded one is not started, and the
 * migrations run against the external server. A separately started PostgreSQL plays the hospital's server here.
 */
@SpringBootTest
@ActiveProfiles("test")
class ExternalDatabaseTest {

    static final EmbeddedPostgres EXTERNAL = start();

    @DynamicPropertySource
    static void external(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> EXTERNAL.getJdbcUrl("postgres", "postgres"));
        registry.add("spring.datasource.username", () -> "postgres");
    }

    @AfterAll
    static void stop() throws IOException {
        EXTERNAL.close();
    }

    @Autowired
    ApplicationContext context;

    @Autowired
    JdbcClient jdbc;

    @Test
    void usesTheConfiguredDatabaseInsteadOfStartingOne() {
        assertThat(context.getBeanNamesForType(EmbeddedDatabase.class)).isEmpty();
        assertThat(jdbc.sql("SELECT inet_server_port()").query(Integer.class).single()).isEqualTo(EXTERNAL.getPort());
        assertThat(jdbc.sql("SELECT count(*) FROM license_policy").query(Long.class).single()).isPositive();
    }

    private static EmbeddedPostgres start() {
        try {
            return EmbeddedPostgres.builder().start();
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
