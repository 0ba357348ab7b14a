package io.modelward.portal.security;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Single sign-on through the hospital's Keycloak, under {@code modelward.security.keycloak}. When enabled, people log in
 * with OIDC (authorization code) and programs send Keycloak-issued JWTs; local accounts are off.
 *
 * @param enabled whether Keycloak is the login method (the {@code keycloak} profile turns it on)
 * @param issuerUri the realm's issuer, e.g. {@code https://sso.hospital.example/realms/hospital}
 * @param clientId the portal's confidential client
 * @param clientSecret that client's secret (never logged)
 * @param audience the {@code aud} every API token must carry; defaults to the client id
 * @param clockSkew tolerance on {@code exp}, {@code nbf} and {@code iat}
 * @param jwksCacheTtl how long fetched signing keys are used before they are fetched again
 * @param jwksOutageTolerance how long the last keys stay usable while Keycloak cannot be reached
 */
@ConfigurationProperties("modelward.security.keycloak")
public record KeycloakProperties(@DefaultValue("false") boolean enabled, @Nullable URI issuerUri,
        @DefaultValue("model-portal") String clientId, @Nullable String clientSecret, @Nullable String audience,
        @DefaultValue("30s") Duration clockSkew, @DefaultValue("5m") Duration jwksCacheTtl,
        @DefaultValue("1h") Duration jwksOutageTolerance) {

    /** The issuer without a trailing slash, as Keycloak writes it into {@code iss}. */
    public String issuer() {
        String issuer = String.valueOf(issuerUri);
        return issuer.endsWith("/") ? issuer.substring(0, issuer.length() - 1) : issuer;
    }

    public String requiredAudience() {
        return audience == null || audience.isBlank() ? clientId : audience;
    }

    String endpoint(String path) {
        return issuer() + "/protocol/openid-connect/" + path;
    }

    /** Every problem with these settings, one clear sentence each; empty when they are usable. */
    public List<String> problems() {
        List<String> problems = new ArrayList<>();
        if (issuerUri == null) {
            problems.add("modelward.security.keycloak.issuer-uri is required: the realm's issuer, e.g. "
                    + "https://sso.hospital.example/realms/hospital");
        }
        else if (!issuerUri.isAbsolute() || issuerUri.getHost() == null
                || !List.of("http", "https").contains(issuerUri.getScheme())
                || !issuerUri.getPath().contains("/realms/")) {
            problems.add("modelward.security.keycloak.issuer-uri must be an http(s) URL ending in /realms/<realm>, "
                    + "not '" + issuerUri + "'");
        }
        if (clientId.isBlank()) {
            problems.add("modelward.security.keycloak.client-id must not be blank");
        }
        if (clientSecret == null || clientSecret.isBlank()) {
            problems.add("modelward.security.keycloak.client-secret is required: the secret of the confidential "
                    + "client '" + clientId + "' (set KEYCLOAK_CLIENT_SECRET)");
        }
        if (clockSkew.isNegative() || clockSkew.compareTo(Duration.ofMinutes(5)) > 0) {
            problems.add("modelward.security.keycloak.clock-skew must be between 0 and 5 minutes, not " + clockSkew);
        }
        if (jwksCacheTtl.toMillis() < 100) {
            problems.add("modelward.security.keycloak.jwks-cache-ttl must be at least 100ms, not " + jwksCacheTtl);
        }
        return problems;
    }

    @Override
    public String toString() {
        return "KeycloakProperties[enabled=" + enabled + ", issuerUri=" + issuerUri + ", clientId=" + clientId
                + ", clientSecret=" + (clientSecret == null ? "unset" : "******") + "]";
    }
}
