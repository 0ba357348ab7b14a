package io.modelward.portal.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.modelward.governance.AuditVerifier;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.ApplicationContext;
import org.springframework.http.ResponseEntity;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.orm.jpa.JpaSystemException;
import org.springframework.web.method.HandlerMethod;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * With {@code spring.datasource.url} set, the portal uses that database: the embedded one is not started, and the
 * migrations run against the external server. A separately started PostgreSQL plays the hospital's server here; it is
 * stopped under load and started again, and the portal refuses cleanly meanwhile and recovers by itself.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@ActiveProfiles("test")
class ExternalDatabaseTest {

    static final RestartablePostgres EXTERNAL = RestartablePostgres.start();

    @DynamicPropertySource
    static void external(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", EXTERNAL::jdbcUrl);
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

    @Autowired
    AuditVerifier verifier;

    @Autowired
    DatabaseUnavailableAdvice advice;

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();

    @Test
    void usesTheConfiguredDatabaseInsteadOfStartingOne() {
        assertThat(context.getBeanNamesForType(EmbeddedDatabase.class)).isEmpty();
        assertThat(jdbc.sql("SELECT inet_server_port()").query(Integer.class).single()).isEqualTo(EXTERNAL.port());
        assertThat(jdbc.sql("SELECT count(*) FROM license_policy").query(Long.class).single()).isPositive();
    }

    @Test
    void refusesEveryCallWith503WhileTheDatabaseIsStoppedAndRecoversByItselfWhenItIsBack() throws Exception {
        try (OutageLoad load = new OutageLoad(port)) {
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> load.count(c -> c.status() == 404) >= 2
                    && load.count(c -> c.status() == 200) >= 1);
            assertThat(get("/v2/health/ready", OutageLoad.basic("robot")).statusCode()).isEqualTo(200);

            EXTERNAL.stop();
            load.phase.set(OutageLoad.DOWN);
            try {
                Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                        .until(() -> load.count(OutageLoad.Call::whollyWhileDown) >= 6
                                && load.count(c -> c.whollyWhileDown() && c.kind().equals("api")) >= 1
                                && load.count(c -> c.whollyWhileDown() && c.kind().equals("v2")) >= 1);
                assertNotReady();
                loginStillWorksAndPagesSayTheDatabaseIsAway();
                assertThat(unclassifiedFailure()).isInstanceOfSatisfying(ResponseEntity.class, answer -> assertThat(
                        answer.getStatusCode().value()).as("an unclassified failure, while away").isEqualTo(503));
            }
            finally {
                load.phase.set(OutageLoad.BACK);
                EXTERNAL.startAgain();
            }

            Awaitility.await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
                assertThat(get("/api/models", OutageLoad.basic("alice")).statusCode()).isEqualTo(200);
                assertThat(get("/v2/health/ready", OutageLoad.basic("robot")).body()).isEqualTo("{\"ready\":true}");
                assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(200);
            });
            assertThatThrownBy(this::unclassifiedFailure).as("the same failure with the database back is not an outage")
                    .isInstanceOf(JpaSystemException.class);
            long answeredBefore = load.count(c -> c.status() == 404);
            Awaitility.await().atMost(Duration.ofSeconds(60)).until(() -> load.count(c -> c.status() == 404)
                    >= answeredBefore + 2);
            load.close();
            load.assertRefusedCleanlyAndAudited(jdbc);
        }
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
    }

    /** A failure nothing classifies: an outage only while the database cannot be reached. */
    private Object unclassifiedFailure() throws Exception {
        JpaSystemException failure = new JpaSystemException(new IllegalStateException("not classified"));
        return advice.transaction(failure, new MockHttpServletRequest("GET", "/api/models"),
                new HandlerMethod(this, getClass().getDeclaredMethod("usesTheConfiguredDatabaseInsteadOfStartingOne")));
    }

    @Test
    void aRollbackThePoolRefusesOnAClosedConnectionIsAnOutageWhateverTheDatabaseDoesNow() {
        // what a request in flight as the server stops ends with: the rollback fails, and there is no SQL state
        assertThat(DatabaseUnavailableAdvice.isOutage(new JpaSystemException(new org.hibernate.TransactionException(
                "Unable to rollback against JDBC Connection", new SQLException("Connection is closed"))))).isTrue();
        assertThat(DatabaseUnavailableAdvice.isOutage(new JpaSystemException(new org.hibernate.TransactionException(
                "Unable to commit against JDBC Connection", new SQLException("could not serialize", "40001")))))
                .as("a serialization failure is not").isFalse();
    }

    private void assertNotReady() throws Exception {
        Awaitility.await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(250)).untilAsserted(() -> {
            HttpResponse<String> ready = get("/v2/health/ready", OutageLoad.basic("robot"));
            assertThat(ready.statusCode()).isEqualTo(503);
            assertThat(ready.body()).isEqualTo("{\"ready\":false}");
        });
        assertThat(get("/actuator/health/readiness", null).statusCode()).isEqualTo(503);
    }

    /** Local accounts need no database: a login goes through, and the page after it says why it cannot be shown. */
    private void loginStillWorksAndPagesSayTheDatabaseIsAway() throws Exception {
        HttpResponse<String> form = get("/login", null);
        assertThat(form.statusCode()).isEqualTo(200);
        Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form.body());
        assertThat(csrf.find()).as(form.body()).isTrue();
        HttpResponse<String> login = http.send(HttpRequest.newBuilder(url("/login"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString("username=alice&password=alice-pw&_csrf="
                        + URLEncoder.encode(csrf.group(1), StandardCharsets.UTF_8))).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).as(login.body()).isEqualTo(302);
        assertThat(login.headers().firstValue("Location")).hasValueSatisfying(to -> assertThat(to).endsWith("/models"));

        HttpResponse<String> page = get("/models", null);
        assertThat(page.statusCode()).isEqualTo(503);
        assertThat(page.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type)
                .startsWith("text/html"));
        assertThat(page.body()).contains("503 Database unavailable").contains("Try again shortly");
    }

    private HttpResponse<String> get(String path, String authorization) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI url(String path) {
        return URI.create("http://localhost:" + port + path);
    }
}
