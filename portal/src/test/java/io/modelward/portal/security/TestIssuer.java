package io.modelward.portal.security;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;

/**
 * A stand-in for a Keycloak realm's signing side, for tests of token checks that need exact control of every claim
 * (expired, wrong issuer, other key): an RSA key and the realm's JWKS endpoint on a loopback port. Tokens are made the
 * way Keycloak makes them (RS256, {@code kid}, {@code realm_access.roles}). The end-to-end module tests the same checks
 * with tokens from the real Keycloak server.
 */
final class TestIssuer implements AutoCloseable {

    final RSAKey key;
    private volatile RSAKey published;
    private final HttpServer server;
    final AtomicInteger jwksFetches = new AtomicInteger();

    TestIssuer() throws IOException {
        this.key = newKey("realm-key");
        this.published = key;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/realms/hospital/protocol/openid-connect/certs", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = new JWKSet(published.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
    }

    static RSAKey newKey(String kid) {
        try {
            return new RSAKeyGenerator(2048).keyID(kid).generate();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/realms/hospital";
    }

    /** Publishes another signing key, as Keycloak does when its keys are rotated. */
    void rotateTo(RSAKey next) {
        this.published = next;
    }

    /** The JWKS endpoint stops answering (Keycloak is down). */
    @Override
    public void close() {
        server.stop(0);
    }

    /** A valid access token for {@code user} with these realm roles, adjusted by {@code change}. */
    String token(String user, List<String> roles, Consumer<JWTClaimsSet.Builder> change) {
        return sign(key, claims(user, roles, change));
    }

    String token(String user, String... roles) {
        return token(user, List.of(roles), claims -> {
        });
    }

    JWTClaimsSet claims(String user, List<String> roles, Consumer<JWTClaimsSet.Builder> change) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder()
                .issuer(issuer())
                .subject(UUID.nameUUIDFromBytes(user.getBytes(StandardCharsets.UTF_8)).toString())
                .audience(List.of("model-portal", "account"))
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plusSeconds(300)))
                .jwtID(UUID.randomUUID().toString())
                .claim("azp", "model-portal")
                .claim("typ", "Bearer")
                .claim("preferred_username", user)
                .claim("name", user.substring(0, 1).toUpperCase() + user.substring(1) + " Tester")
                .claim("realm_access", Map.of("roles", roles));
        change.accept(claims);
        return claims.build();
    }

    static String sign(RSAKey key, JWTClaimsSet claims) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
            jwt.sign(new RSASSASigner(key));
            return jwt.serialize();
        }
        catch (JOSEException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
