package io.modelward.portal.security;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The realm's signing keys for checking a token: the cached JWKS, fetched again when a token names a key it does not
 * hold (Keycloak rotated its keys), but at most once per {@code refreshInterval}, however many unknown key ids arrive.
 * A token whose key is still unknown after that fetch, or arrives before the next fetch is allowed, or while the fetch
 * fails, finds no key and is refused as an invalid token (401) like any other bad token, with one line in the log.
 * (Nimbus's rate limit, which stays below the cache so that fetches fail fast while Keycloak is away, used to answer
 * such a token with its exception, which Spring Security turns into a server error, 500.)
 */
final class RealmKeys implements JWKSource<SecurityContext> {

    private static final Logger log = LoggerFactory.getLogger(RealmKeys.class);

    private final JWKSetSource<SecurityContext> keys;
    private final Clock clock;
    private final long refreshInterval;
    private final AtomicLong nextRefresh = new AtomicLong(Long.MIN_VALUE);

    RealmKeys(JWKSetSource<SecurityContext> keys, Clock clock, Duration refreshInterval) {
        this.keys = keys;
        this.clock = clock;
        this.refreshInterval = refreshInterval.toMillis();
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        long now = clock.millis();
        JWKSet cached = keys.getJWKSet(JWKSetCacheRefreshEvaluator.noRefresh(), now, context);
        List<JWK> found = selector.select(cached);
        if (!found.isEmpty()) {
            return found;
        }
        String key = keyId(selector.getMatcher().getKeyIDs());
        if (!mayRefresh(now)) {
            log.info("Refused a bearer token signed with an unknown key {}: the keys were last fetched for an unknown "
                    + "key less than {} s ago", key, refreshInterval / 1000);
            return List.of();
        }
        try {
            // only if no one else has replaced the cached set meanwhile
            found = selector.select(keys.getJWKSet(JWKSetCacheRefreshEvaluator.referenceComparison(cached), now,
                    context));
        }
        catch (KeySourceException ex) {
            log.warn("Refused a bearer token signed with an unknown key {}: the realm's keys could not be fetched "
                    + "again ({})", key, ex.getMessage());
            return List.of();
        }
        if (found.isEmpty()) {
            log.info("Refused a bearer token signed with an unknown key {}: the realm does not publish it", key);
        }
        return found;
    }

    /** Whether this caller may fetch the keys now; at most one caller per interval may. */
    private boolean mayRefresh(long now) {
        long next = nextRefresh.get();
        return now >= next && nextRefresh.compareAndSet(next, now + refreshInterval);
    }

    /** The token's key id as the log may show it: printable ASCII, at most 64 characters. */
    static String keyId(Set<String> ids) {
        if (ids == null || ids.isEmpty()) {
            return "(no key id)";
        }
        String id = ids.iterator().next();
        String shown = id.replaceAll("[^\\x21-\\x7E]", "?");
        return "'" + (shown.length() <= 64 ? shown : shown.substring(0, 61) + "...") + "'";
    }
}
