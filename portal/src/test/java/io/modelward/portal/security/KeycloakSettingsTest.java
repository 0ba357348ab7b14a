package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

class KeycloakSettingsTest {

    private final ApplicationContextRunner context = new ApplicationContextRunner()
            .withUserConfiguration(Settings.class, SecurityConfiguration.Keycloak.class)
            // the settings alone are under test here: where failed single sign-ons are recorded is not
            .withBean(SecurityTrail.class, () -> org.mockito.Mockito.mock(SecurityTrail.class))
            .withPropertyValues("modelward.security.keycloak.enabled=true");

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(KeycloakProperties.class)
    static class Settings {
    }

    @Test
    void refusesToStartWithOneClearMessagePerMissingSetting() {
        context.run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                .hasMessageContaining("Keycloak single sign-on is enabled but not usable")
                .hasMessageContaining("issuer-uri is required")
                .hasMessageContaining("client-secret is required"));
    }

    @Test
    void refusesAnIssuerThatIsNotARealmUrl() {
        context.withPropertyValues("modelward.security.keycloak.issuer-uri=ftp://sso.example/hospital",
                "modelward.security.keycloak.client-secret=s3cret")
                .run(started -> assertThat(started).hasFailed().getFailure().rootCause()
                        .hasMessageContaining("must be an http(s) URL ending in /realms/<realm>")
                        .hasMessageNotContaining("s3cret"));
    }

    @Test
    void startsWithoutReachingKeycloakWhenTheSettingsAreComplete() {
        // port 9 (discard) is never a Keycloak: nothing is fetched at startup
        context.withPropertyValues("modelward.security.keycloak.issuer-uri=http://127.0.0.1:9/realms/hospital",
                "modelward.security.keycloak.client-secret=s3cret")
                .run(started -> assertThat(started).hasNotFailed().hasSingleBean(KeycloakLogin.class));
    }

    @Test
    void neverPrintsTheClientSecret() {
        KeycloakProperties properties = new KeycloakProperties(true, URI.create("https://sso.example/realms/h"),
                "model-portal", "s3cret", null, Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofHours(1));
        assertThat(properties.toString()).doesNotContain("s3cret").contains("******");
        assertThat(properties.requiredAudience()).isEqualTo("model-portal");
        assertThat(properties.problems()).isEmpty();
    }
}
