package io.modelward.governance;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * The chain's arithmetic: {@code hash = SHA-256(prev_hash || canonical row)}. The canonical row lists every field in
 * a fixed order, each as its length, a colon and its UTF-8 text (a null as {@code -}), so no two different rows share
 * a canonical form.
 */
public final class AuditHashing {

    /** The prev_hash of a chain's first row. */
    public static final String GENESIS = "0".repeat(64);

    private AuditHashing() {
    }

    public static String hash(String prevHash, String chainId, long seq, AuditRecord r) {
        StringBuilder canonical = new StringBuilder(512).append("modelward-audit-v1;");
        field(canonical, chainId);
        field(canonical, Long.toString(seq));
        field(canonical, micros(r.at()));
        field(canonical, r.requestId());
        field(canonical, r.actorSubject());
        field(canonical, r.actorName());
        field(canonical, r.actorRoles());
        field(canonical, r.clientId());
        field(canonical, r.sourceIp());
        field(canonical, r.action());
        field(canonical, r.model());
        field(canonical, r.version());
        field(canonical, r.deployment());
        field(canonical, r.artifactSha256());
        field(canonical, r.inputSha256());
        field(canonical, r.inputSize() == null ? null : r.inputSize().toString());
        field(canonical, r.contentType());
        field(canonical, r.outputSummary());
        field(canonical, r.outputSha256());
        field(canonical, r.httpStatus() == null ? null : r.httpStatus().toString());
        field(canonical, r.outcome() == null ? null : r.outcome().name());
        field(canonical, r.latencyMicros() == null ? null : r.latencyMicros().toString());
        field(canonical, r.purpose());
        field(canonical, r.detail());
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(prevHash.getBytes(StandardCharsets.US_ASCII));
            sha.update(canonical.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha.digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static String micros(Instant at) {
        return at.getEpochSecond() + "." + String.format("%06d", at.getNano() / 1000);
    }

    private static void field(StringBuilder out, @Nullable String value) {
        if (value == null) {
            out.append("-;");
        }
        else {
            out.append(value.length()).append(':').append(value).append(';');
        }
    }
}
