package io.modelward.portal.security;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;

import com.nimbusds.jose.jwk.RSAKey;
import io.modelward.governance.Role;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtValidationException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeycloakTokensTest {

    private final MutableClock clock = new MutableClock(Instant.now());
    private TestIssuer issuer;
    private JwtDecoder decoder;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        decoder = KeycloakTokens.decoder(properties(Duration.ofMinutes(5)), clock);
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private KeycloakProperties properties(Duration cacheTtl) {
        return new KeycloakProperties(true, URI.create(issuer.issuer()), "model-portal", "secret", null,
                Duration.ofSeconds(30), cacheTtl, Duration.ofHours(1));
    }

    @Test
    void acceptsAValidTokenAndMapsItsRealmRolesAndName() {
        Jwt jwt = decoder.decode(issuer.token("alice", "researcher", "offline_access", "model-approver"));
        var authentication = KeycloakTokens.authentication().convert(jwt);
        assertThat(authentication.getName()).isEqualTo("alice");
        assertThat(authentication.getAuthorities()).extracting(GrantedAuthority::getAuthority)
                .containsExactlyInAnyOrder(Role.RESEARCHER.authority(), Role.MODEL_APPROVER.authority());
        assertThat(Actors.from(authentication).displayName()).isEqualTo("Alice Tester");
    }

    @Test
    void fallsBackToTheSubjectWhenTheTokenHasNoUserName() {
        Jwt jwt = decoder.decode(issuer.token("robot", List.of("inference-client"),
                claims -> claims.claim("preferred_username", null)));
        assertThat(KeycloakTokens.authentication().convert(jwt).getName()).isEqualTo(jwt.getSubject());
    }

    @Test
    void refusesAnUnsignedToken() {
        String header = base64("{\"alg\":\"none\",\"typ\":\"JWT\"}");
        String payload = issuer.claims("alice", List.of("admin"), c -> {
        }).toPayload().toBase64URL().toString();
        assertThatThrownBy(() -> decoder.decode(header + "." + payload + ".")).isInstanceOf(JwtException.class)
                .hasMessageContaining("Unsupported algorithm of none");
    }

    @Test
    void refusesATokenSignedByAnotherKeyEvenWithTheRealmsKeyId() {
        RSAKey forger = TestIssuer.newKey("realm-key");
        String token = TestIssuer.sign(forger, issuer.claims("alice", List.of("admin"), c -> {
        }));
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtException.class)
                .hasMessageContaining("Signed JWT rejected");
    }

    @Test
    void refusesATokenFromAnotherIssuer() {
        String token = issuer.token("alice", List.of("researcher"),
                claims -> claims.issuer("http://127.0.0.1:1/realms/elsewhere"));
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("iss");
    }

    @Test
    void refusesAnExpiredTokenOutsideTheClockSkew() {
        Instant past = Instant.now().minusSeconds(120);
        String token = issuer.token("alice", List.of("researcher"), claims -> claims
                .issueTime(Date.from(past.minusSeconds(300))).expirationTime(Date.from(past)));
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("expired");
    }

    @Test
    void refusesATokenWithoutAnExpiry() {
        String token = issuer.token("alice", List.of("researcher"), claims -> claims.expirationTime(null));
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("exp");
    }

    @Test
    void refusesATokenForAnotherAudience() {
        String token = issuer.token("alice", List.of("researcher"), claims -> claims.audience("account"));
        assertThatThrownBy(() -> decoder.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("aud");
    }

    @Test
    void refusesATamperedPayload() {
        String[] parts = issuer.token("alice", "researcher").split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
                .replace("\"researcher\"", "\"admin\"");
        String tampered = parts[0] + "." + base64(payload) + "." + parts[2];
        assertThatThrownBy(() -> decoder.decode(tampered)).isInstanceOf(JwtException.class)
                .hasMessageContaining("Invalid signature");
    }

    @Test
    void keepsCheckingTokensWithTheCachedKeysWhileKeycloakIsUnreachable() throws Exception {
        JwtDecoder shortCache = KeycloakTokens.decoder(properties(Duration.ofMillis(200)));
        assertThat(shortCache.decode(issuer.token("alice", "researcher")).getSubject()).isNotBlank();
        String later = issuer.token("bob", "model-approver");
        issuer.close();
        Thread.sleep(500); // the keys are now stale and cannot be refreshed
        assertThat(shortCache.decode(later).getClaimAsString("preferred_username")).isEqualTo("bob");
    }

    @Test
    void fetchesTheKeysAgainWhenKeycloakRotatesThem() {
        assertThat(decoder.decode(issuer.token("alice", "researcher"))).isNotNull();
        int fetches = issuer.jwksFetches.get();
        RSAKey next = TestIssuer.newKey("rotated-key");
        issuer.rotateTo(next);
        Jwt jwt = decoder.decode(TestIssuer.sign(next, issuer.claims("alice", List.of("researcher"), c -> {
        })));
        assertThat(jwt.getClaimAsString("preferred_username")).isEqualTo("alice");
        assertThat(issuer.jwksFetches.get()).isGreaterThan(fetches);
    }

    @Test
    void cachesTheKeysInsteadOfFetchingThemForEveryToken() {
        for (int i = 0; i < 20; i++) {
            decoder.decode(issuer.token("alice", "researcher"));
        }
        assertThat(issuer.jwksFetches.get()).isEqualTo(1);
    }

    @Test
    void refusesATokenSignedByAnUnknownKeyEveryTimeAndFetchesTheKeysAtMostOncePerHalfMinute() {
        assertThat(decoder.decode(issuer.token("alice", "researcher"))).isNotNull();
        assertThat(issuer.jwksFetches).hasValue(1);
        for (int i = 0; i < 20; i++) {
            String unknown = signedWithKeyId("unknown-" + i);
            assertThatThrownBy(() -> decoder.decode(unknown)).as("token %d", i).isInstanceOf(BadJwtException.class)
                    .hasMessageContaining("no matching key");
            assertThat(decoder.decode(issuer.token("alice", "researcher"))).as("a valid token meanwhile").isNotNull();
        }
        assertThat(issuer.jwksFetches).as("one fetch for the first unknown key, none for the others").hasValue(2);
        clock.advance(Duration.ofSeconds(29));
        assertThatThrownBy(() -> decoder.decode(signedWithKeyId("unknown-late"))).isInstanceOf(BadJwtException.class);
        assertThat(issuer.jwksFetches).hasValue(2);
        clock.advance(Duration.ofSeconds(2));
        for (int i = 0; i < 20; i++) {
            String unknown = signedWithKeyId("unknown-again-" + i);
            assertThatThrownBy(() -> decoder.decode(unknown)).isInstanceOf(BadJwtException.class);
        }
        assertThat(issuer.jwksFetches).as("one more fetch in the next half minute").hasValue(3);
    }

    @Test
    void learnsARotatedKeyWithinTheRateLimitEvenDuringAFloodOfUnknownKeys() {
        assertThat(decoder.decode(issuer.token("alice", "researcher"))).isNotNull();
        for (int i = 0; i < 20; i++) {
            String unknown = signedWithKeyId(java.util.UUID.randomUUID().toString());
            assertThatThrownBy(() -> decoder.decode(unknown)).isInstanceOf(BadJwtException.class);
        }
        RSAKey next = TestIssuer.newKey("rotated-key");
        issuer.rotateTo(next);
        String rotated = TestIssuer.sign(next, issuer.claims("bob", List.of("researcher"), c -> {
        }));
        // the flood used this half minute's fetch: the new key is fetched in the next one
        assertThatThrownBy(() -> decoder.decode(rotated)).isInstanceOf(BadJwtException.class);
        clock.advance(Duration.ofSeconds(31));
        assertThat(decoder.decode(rotated).getClaimAsString("preferred_username")).isEqualTo("bob");
        assertThat(issuer.jwksFetches).hasValue(3);
        for (int i = 0; i < 20; i++) {
            assertThat(decoder.decode(TestIssuer.sign(next, issuer.claims("bob", List.of("researcher"), c -> {
            })))).isNotNull();
        }
        assertThat(issuer.jwksFetches).as("the new key is cached").hasValue(3);
    }

    @Test
    void refusesAnUnknownKeyAsAnInvalidTokenWhenTheKeysCannotBeFetchedAgain() {
        assertThat(decoder.decode(issuer.token("alice", "researcher"))).isNotNull();
        String later = issuer.token("bob", "researcher");
        issuer.close();
        assertThatThrownBy(() -> decoder.decode(signedWithKeyId("unknown"))).isInstanceOf(BadJwtException.class);
        assertThat(decoder.decode(later).getClaimAsString("preferred_username")).isEqualTo("bob");
    }

    @Test
    void showsOnlyAPrintableShortKeyIdInTheLog() {
        assertThat(RealmKeys.keyId(java.util.Set.of("k1\r\nforged line"))).isEqualTo("'k1??forged?line'");
        assertThat(RealmKeys.keyId(java.util.Set.of("x".repeat(100)))).hasSize(66).endsWith("...'");
        assertThat(RealmKeys.keyId(java.util.Set.of())).isEqualTo("(no key id)");
    }

    /** A token from the realm signed by its key, but naming another key id in its header. */
    private String signedWithKeyId(String kid) {
        RSAKey renamed = new RSAKey.Builder(issuer.key).keyID(kid).build();
        return TestIssuer.sign(renamed, issuer.claims("mallory", List.of("admin"), c -> {
        }));
    }

    private static String base64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }
}
