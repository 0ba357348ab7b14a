package io.modelward.portal.security;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.JwtTimestampValidator;
import org.springframework.security.oauth2.jwt.JwtValidationException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VerifiedTokensTest {

    private final Instant start = Instant.now();
    private final MutableClock clock = new MutableClock(start);
    private final AtomicInteger signatureChecks = new AtomicInteger();
    private TestIssuer issuer;
    private VerifiedTokens tokens;

    @BeforeEach
    void start() throws Exception {
        issuer = new TestIssuer();
        tokens = tokens(Duration.ofMinutes(1), 100);
    }

    @AfterEach
    void stop() {
        issuer.close();
    }

    private VerifiedTokens tokens(Duration maxAge, int maxEntries) throws JOSEException {
        JwtTimestampValidator timestamps = new JwtTimestampValidator(Duration.ZERO);
        timestamps.setClock(clock);
        OAuth2TokenValidator<Jwt> validator = new DelegatingOAuth2TokenValidator<>(List.of(timestamps));
        NimbusJwtDecoder signatures = NimbusJwtDecoder.withPublicKey(issuer.key.toRSAPublicKey()).build();
        signatures.setJwtValidator(validator);
        JwtDecoder counted = token -> {
            signatureChecks.incrementAndGet();
            return signatures.decode(token);
        };
        return new VerifiedTokens(counted, validator, clock, maxAge, maxEntries);
    }

    private String tokenExpiringIn(Duration lifetime) {
        return issuer.token("robot", List.of("inference-client"), claims -> claims
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plus(lifetime))));
    }

    @Test
    void checksTheSignatureOfARepeatedTokenOnlyOnce() {
        String token = tokenExpiringIn(Duration.ofMinutes(5));
        Jwt first = tokens.decode(token);
        Jwt again = tokens.decode(token);
        assertThat(again).isSameAs(first);
        assertThat(again.getClaimAsString("preferred_username")).isEqualTo("robot");
        assertThat(signatureChecks).hasValue(1);
    }

    @Test
    void refusesARememberedTokenOnceItHasExpired() {
        String token = tokenExpiringIn(Duration.ofSeconds(30));
        tokens.decode(token);
        clock.advance(Duration.ofSeconds(31));
        assertThatThrownBy(() -> tokens.decode(token)).isInstanceOf(JwtValidationException.class)
                .hasMessageContaining("Jwt expired at");
        assertThat(tokens.size()).isZero();
    }

    @Test
    void checksTheSignatureAgainAfterTheMaximumAge() {
        String token = tokenExpiringIn(Duration.ofMinutes(5));
        tokens.decode(token);
        clock.advance(Duration.ofSeconds(61));
        tokens.decode(token);
        tokens.decode(token);
        assertThat(signatureChecks).hasValue(2);
    }

    @Test
    void neverRemembersARefusedToken() {
        String forged = TestIssuer.sign(TestIssuer.newKey("realm-key"), issuer.claims("robot", List.of("admin"),
                claims -> {
                }));
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThatThrownBy(() -> tokens.decode(forged)).isInstanceOf(JwtException.class);
        assertThat(signatureChecks).hasValue(2);
        assertThat(tokens.size()).isZero();
    }

    @Test
    void keepsItsMemoryBounded() throws Exception {
        VerifiedTokens small = tokens(Duration.ofMinutes(1), 10);
        for (int i = 0; i < 25; i++) {
            small.decode(tokenExpiringIn(Duration.ofMinutes(5).plusSeconds(i)));
            assertThat(small.size()).isLessThanOrEqualTo(10);
        }
    }

    @Test
    void makesRoomByDroppingExpiredTokensFirst() throws Exception {
        VerifiedTokens small = tokens(Duration.ofMinutes(1), 3);
        String shortLived = tokenExpiringIn(Duration.ofSeconds(5));
        String kept = tokenExpiringIn(Duration.ofMinutes(5));
        small.decode(shortLived);
        small.decode(kept);
        small.decode(tokenExpiringIn(Duration.ofMinutes(4)));
        clock.advance(Duration.ofSeconds(10));
        small.decode(tokenExpiringIn(Duration.ofMinutes(3)));
        int checks = signatureChecks.get();
        small.decode(kept);
        assertThat(signatureChecks).hasValue(checks);
        assertThat(small.size()).isEqualTo(3);
    }
}
