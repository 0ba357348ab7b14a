package io.modelward.catalog.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.UUID;
import java.util.regex.Pattern;

import io.modelward.governance.ProblemException;

/**
 * A content-addressed artifact store on the file system. Uploads are streamed into {@code staging/}, hashing and
 * counting on the way and stopping as soon as the size limit is passed; a verified file is then moved atomically to
 * {@code sha256/<first two hex digits>/<sha256>}. Nothing half-written ever sits at a content address.
 */
public class ArtifactStore {

    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
    private static final int BUFFER = 64 * 1024;

    private final Path root;
    private final Path staging;

    public ArtifactStore(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.staging = this.root.resolve("staging");
        try {
            Files.createDirectories(staging);
            Files.createDirectories(this.root.resolve("sha256"));
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot create the artifact store at " + this.root, ex);
        }
    }

    public Path root() {
        return root;
    }

    /**
     * Streams {@code in} into a staging file, computing SHA-256 and size. Throws a 413 problem as soon as more than
     * {@code maxBytes} arrive and a 400 problem for an empty stream; in both cases, and on any read failure, the
     * partial file is removed before the exception leaves.
     */
    public StagedArtifact stage(InputStream in, long maxBytes) throws IOException {
        Path file = staging.resolve(UUID.randomUUID() + ".part");
        MessageDigest digest = sha256();
        long size = 0;
        boolean complete = false;
        try (OutputStream out = Files.newOutputStream(file)) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) != -1) {
                size += n;
                if (size > maxBytes) {
                    throw ProblemException.tooLarge("The upload is larger than the limit of " + human(maxBytes) + ".");
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            if (size == 0) {
                throw ProblemException.invalid("empty-upload", "The upload is empty.");
            }
            complete = true;
        }
        finally {
            if (!complete) {
                Files.deleteIfExists(file);
            }
        }
        return new StagedArtifact(file, HexFormat.of().formatHex(digest.digest()), size);
    }

    /**
     * Moves a staged file to its content address. Returns {@code true} when the content was new, {@code false} when
     * the store already held it (the staged copy is then dropped).
     */
    public boolean promote(StagedArtifact staged) throws IOException {
        Path target = path(staged.sha256());
        if (Files.exists(target)) {
            Files.deleteIfExists(staged.file());
            return false;
        }
        Files.createDirectories(target.getParent());
        try {
            Files.move(staged.file(), target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (FileAlreadyExistsException ex) {
            Files.deleteIfExists(staged.file());
            return false;
        }
        catch (AtomicMoveNotSupportedException ex) {
            Files.move(staged.file(), target);
        }
        return true;
    }

    public void discard(StagedArtifact staged) {
        try {
            Files.deleteIfExists(staged.file());
        }
        catch (IOException ex) {
            throw new UncheckedIOException("Cannot remove staged file " + staged.file(), ex);
        }
    }

    public boolean contains(String sha256) {
        return Files.isRegularFile(path(sha256));
    }

    public InputStream open(String sha256) throws IOException {
        try {
            return Files.newInputStream(path(sha256));
        }
        catch (NoSuchFileException ex) {
            throw ProblemException.notFound("The artifact store has no content with SHA-256 " + sha256 + ".");
        }
    }

    public void delete(String sha256) throws IOException {
        Files.deleteIfExists(path(sha256));
    }

    /** The file that holds the content with this SHA-256 (it may not exist). */
    public Path path(String sha256) {
        if (!SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("Not a lower-case hex SHA-256: " + sha256);
        }
        return root.resolve("sha256").resolve(sha256.substring(0, 2)).resolve(sha256);
    }

    /** A byte count as people read it: {@code 2 GiB}, {@code 256 KiB}, {@code 1000 bytes}. */
    public static String human(long bytes) {
        if (bytes >= 1L << 30 && bytes % (1L << 30) == 0) {
            return (bytes >> 30) + " GiB";
        }
        if (bytes >= 1L << 20 && bytes % (1L << 20) == 0) {
            return (bytes >> 20) + " MiB";
        }
        if (bytes >= 1L << 10 && bytes % (1L << 10) == 0) {
            return (bytes >> 10) + " KiB";
        }
        return bytes + " bytes";
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", ex);
        }
    }
}
