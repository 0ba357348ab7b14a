package io.modelward.portal.security;

import java.net.MalformedURLException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtIssuerValidator;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * Checks Keycloak-issued JWTs: an RS256 signature by a key from the realm's JWKS, then issuer, expiry (required) and
 * audience. Signing keys are cached; while Keycloak cannot be reached, the last keys keep working for
 * {@code jwks-outage-tolerance}, and an unknown key id makes a fresh fetch (Keycloak rotated its keys), at most one
 * per 30 s ({@link RealmKeys}): a token whose key stays unknown is refused as invalid (401). A token
 * that passed is remembered for a short while ({@link VerifiedTokens}), so a program's repeated calls do not each pay
 * for the signature check.
 */
final class KeycloakTokens {

    /** Claim with the user name; programs (client credentials) get {@code service-account-<client>}. */
    static final String USER_NAME = "preferred_username";

    private KeycloakTokens() {
    }

    static JwtDecoder decoder(KeycloakProperties keycloak) {
        return decoder(keycloak, Clock.systemUTC());
    }

    static JwtDecoder decoder(KeycloakProperties keycloak, Clock clock) {
        long ttl = keycloak.jwksCacheTtl().toMillis();
        long refreshTimeout = Math.min(5_000, ttl / 4);
        Duration refreshInterval = Duration.ofMillis(Math.min(30_000, ttl / 2));
        JWKSetBasedJWKSource<SecurityContext> cache = (JWKSetBasedJWKSource<SecurityContext>) JWKSourceBuilder
                .<SecurityContext>create(url(keycloak.endpoint("certs")), new DefaultResourceRetriever(2_000, 2_000, 512 * 1024))
                .cache(ttl, refreshTimeout)
                // refresh in the background shortly before expiry, so requests rarely wait for Keycloak
                .refreshAheadCache(ttl > 60_000 ? 30_000 : 0, false)
                // fetches fail fast while Keycloak is away; unknown key ids are limited above the cache (RealmKeys)
                .rateLimited(refreshInterval.toMillis())
                .outageTolerant(keycloak.jwksOutageTolerance().toMillis())
                .build();
        JWKSource<SecurityContext> keys = new RealmKeys(cache.getJWKSetSource(), clock, refreshInterval);
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
                JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.ES256), keys));
        // claims are checked by the validators below, with Spring's messages
        processor.setJWTClaimsSetVerifier((claims, context) -> {
        });
        NimbusJwtDecoder decoder = new NimbusJwtDecoder(processor);
        OAuth2TokenValidator<Jwt> validator = validator(keycloak);
        decoder.setJwtValidator(validator);
        // a verified token is remembered for at most a minute, and never longer than the signing keys are cached
        Duration remembered = keycloak.jwksCacheTtl().compareTo(REMEMBERED) < 0 ? keycloak.jwksCacheTtl() : REMEMBERED;
        return new VerifiedTokens(decoder, validator, clock, remembered, REMEMBERED_TOKENS);
    }

    /** How long, at most, a verified token is trusted without checking its signature again. */
    static final Duration REMEMBERED = Duration.ofMinutes(1);

    /** How many verified tokens are remembered at most (a few KB each). */
    static final int REMEMBERED_TOKENS = 4096;

    static OAuth2TokenValidator<Jwt> validator(KeycloakProperties keycloak) {
        String audience = keycloak.requiredAudience();
        return new DelegatingOAuth2TokenValidator<>(List.of(
                new JwtClaimValidator<Instant>(JwtClaimNames.EXP, exp -> exp != null),
                new JwtTimestampValidator(keycloak.clockSkew()),
                new JwtIssuerValidator(keycloak.issuer()),
                new JwtClaimValidator<Collection<String>>(JwtClaimNames.AUD,
                        aud -> aud != null && aud.contains(audience))));
    }

    /** Bearer token to authentication: name from {@code preferred_username} (else {@code sub}), realm roles. */
    static Converter<Jwt, AbstractAuthenticationToken> authentication() {
        return jwt -> {
            Collection<GrantedAuthority> authorities = KeycloakRoles.authorities(jwt.getClaims());
            String name = jwt.getClaimAsString(USER_NAME);
            return new JwtAuthenticationToken(jwt, authorities, name == null || name.isBlank() ? jwt.getSubject() : name);
        };
    }

    private static java.net.URL url(String uri) {
        try {
            return URI.create(uri).toURL();
        }
        catch (MalformedURLException ex) {
            throw new IllegalArgumentException("Not a URL: " + uri, ex);
        }
    }
}
