package io.modelward.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

import org.jspecify.annotations.Nullable;

/**
 * Gets a model file to local disk and proves it is the expected one: {@code file:} URIs are hashed in place,
 * {@code http(s):} ones (the portal's internal artifact endpoint) are downloaded into the work directory while being
 * hashed. A missing file or a different SHA-256 stops the runtime before anything is loaded.
 */
final class ModelSource {

    private ModelSource() {
    }

    static Path fetch(URI uri, String expectedSha256, Path workDir, @Nullable String bearerToken, String what) {
        try {
            Path file;
            String actual;
            if ("file".equalsIgnoreCase(uri.getScheme())) {
                try {
                    file = Path.of(uri);
                }
                catch (IllegalArgumentException ex) {
                    throw new StartupException("The " + what + " URI " + uri + " is not an absolute file: URI "
                            + "(write file:/path/to/file, or just the path).");
                }
                try (InputStream in = Files.newInputStream(file)) {
                    actual = sha256(in, OutputStream.nullOutputStream());
                }
                if (!actual.equals(expectedSha256)) {
                    throw mismatch(what, uri, actual, expectedSha256);
                }
            }
            else {
                Files.createDirectories(workDir);
                // named by content, so two downloads (model and labels, or two runtimes) never overwrite each other
                file = workDir.resolve(expectedSha256 + "-" + fileName(uri));
                Path partial = Files.createTempFile(workDir, "download", ".part");
                try {
                    actual = download(uri, bearerToken, partial, what);
                    if (!actual.equals(expectedSha256)) {
                        throw mismatch(what, uri, actual, expectedSha256);
                    }
                    Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                }
                finally {
                    Files.deleteIfExists(partial);
                }
            }
            return file;
        }
        catch (NoSuchFileException ex) {
            throw new StartupException("The " + what + " " + uri + " does not exist.", ex);
        }
        catch (IOException ex) {
            throw new StartupException("Cannot read the " + what + " " + uri + ": " + ex.getMessage(), ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new StartupException("Interrupted while fetching the " + what, ex);
        }
    }

    private static String fileName(URI uri) {
        String path = uri.getPath() == null ? "" : uri.getPath();
        String name = path.substring(path.lastIndexOf('/') + 1).replaceAll("[^A-Za-z0-9._-]", "_");
        return name.isEmpty() ? "download" : name;
    }

    /** Downloads into {@code target} while hashing; nothing is kept unless the caller moves it into place. */
    private static String download(URI uri, @Nullable String bearerToken, Path target, String what)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(30));
        if (bearerToken != null) {
            request.header("Authorization", "Bearer " + bearerToken);
        }
        HttpResponse<InputStream> response = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER).build()
                .send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (response.statusCode() != 200) {
            response.body().close();
            throw new StartupException("Fetching the " + what + " from " + uri + " answered HTTP "
                    + response.statusCode() + ".");
        }
        try (InputStream in = response.body(); OutputStream out = Files.newOutputStream(target)) {
            return sha256(in, out);
        }
    }

    private static StartupException mismatch(String what, URI uri, String actual, String expected) {
        return new StartupException("The " + what + " at " + uri + " has SHA-256 " + actual + ", not the expected "
                + expected + ": refusing to load it.");
    }

    static String sha256(InputStream in, OutputStream copy) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) != -1) {
                digest.update(buffer, 0, n);
                copy.write(buffer, 0, n);
            }
            return HexFormat.of().formatHex(digest.digest());
        }
        catch (NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
