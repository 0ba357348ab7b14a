package io.modelward.deployer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.jspecify.annotations.Nullable;

/**
 * Each deployment's internal token: what the gateway sends and its runtimes require, so nothing reaches a runtime
 * around the audited gateway. Tokens are derived (HMAC-SHA256) from one key kept readable by its owner only, so none
 * is stored in the database and each survives portal restarts; deleting the key file rotates them all.
 */
public final class InternalTokens {

    private final byte[] key;

    InternalTokens(byte[] key) {
        if (key.length < 32) {
            throw new IllegalArgumentException("the token key needs at least 32 bytes");
        }
        this.key = key.clone();
    }

    /** Reads the key from the file, creating it (mode 600) with 32 random bytes on first use. */
    static InternalTokens fromKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                Files.createDirectories(file.toAbsolutePath().getParent());
                byte[] fresh = new byte[32];
                new SecureRandom().nextBytes(fresh);
                Path partial = file.resolveSibling(file.getFileName() + ".partial");
                Files.writeString(partial, HexFormat.of().formatHex(fresh));
                try {
                    Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
                }
                catch (UnsupportedOperationException notPosix) {
                    // the file system has no POSIX permissions; the data directory's own protection applies
                }
                Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return new InternalTokens(HexFormat.of().parseHex(Files.readString(file).strip()));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot read or create the deployer's token key " + file, ex);
        }
    }

    public String tokenFor(String deployment) {
        return derive("deployment:" + deployment);
    }

    /** The bearer token runtime pods send to fetch approved model files from the portal. */
    public String artifactToken() {
        return derive("artifacts");
    }

    /** Whether a presented artifact token is the right one (in constant time). */
    public boolean isArtifactToken(@Nullable String presented) {
        return presented != null && java.security.MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), artifactToken().getBytes(StandardCharsets.UTF_8));
    }

    private String derive(String purpose) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(purpose.getBytes(StandardCharsets.UTF_8)));
        }
        catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
