package io.modelward.portal.security;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.ConcurrentHashMap;

import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * Remembers the bearer tokens it has verified, so a program that sends the same access token with every request pays
 * for parsing and the signature check once, not per request (on the gateway's hot path they were a fifth of the
 * portal's CPU). A remembered token is checked again on every use by the validators (expiry, not-before, issuer,
 * audience), and is forgotten at its expiry or after {@code maxAge}, whichever comes first. A signing key withdrawn
 * from the realm's JWKS therefore stops working here after at most {@code maxAge}, which is never longer than the time
 * the signing keys themselves are cached. Only verified tokens are remembered: a refused one is refused by the full
 * check every time, with its own message. The memory is bounded: past {@code maxEntries} expired entries are dropped,
 * and if that is not enough, all of them.
 */
final class VerifiedTokens implements JwtDecoder {

    private final JwtDecoder verifier;
    private final OAuth2TokenValidator<Jwt> validator;
    private final Clock clock;
    private final Duration maxAge;
    private final int maxEntries;
    private final ConcurrentHashMap<String, Verified> verified = new ConcurrentHashMap<>();

    private record Verified(Jwt jwt, Instant until) {
    }

    /**
     * @param verifier the full check (signature and validators)
     * @param validator the claim checks repeated on every use of a remembered token
     */
    VerifiedTokens(JwtDecoder verifier, OAuth2TokenValidator<Jwt> validator, Clock clock, Duration maxAge,
            int maxEntries) {
        this.verifier = verifier;
        this.validator = validator;
        this.clock = clock;
        this.maxAge = maxAge;
        this.maxEntries = maxEntries;
    }

    @Override
    public Jwt decode(String token) throws JwtException {
        Instant now = clock.instant();
        Verified known = verified.get(token);
        if (known != null) {
            OAuth2TokenValidatorResult result = now.isBefore(known.until()) ? validator.validate(known.jwt()) : null;
            if (result != null && !result.hasErrors()) {
                return known.jwt();
            }
            // expired here or refused now: forget it, and let the full check give the precise answer
            verified.remove(token, known);
        }
        Jwt jwt = verifier.decode(token);
        Instant until = now.plus(maxAge);
        if (jwt.getExpiresAt() != null && jwt.getExpiresAt().isBefore(until)) {
            until = jwt.getExpiresAt();
        }
        if (verified.size() >= maxEntries) {
            verified.values().removeIf(entry -> !now.isBefore(entry.until()));
            if (verified.size() >= maxEntries) {
                verified.clear();
            }
        }
        verified.put(token, new Verified(jwt, until));
        return jwt;
    }

    /** How many tokens are remembered now. */
    int size() {
        return verified.size();
    }
}
