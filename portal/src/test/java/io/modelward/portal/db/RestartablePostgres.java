package io.modelward.portal.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.springframework.util.FileSystemUtils;

/** A PostgreSQL that plays the hospital's server: it can be stopped and started again on the same port and data. */
final class RestartablePostgres implements AutoCloseable {

    private final Path dataDir;
    private final int port;
    private @Nullable EmbeddedPostgres running;

    private RestartablePostgres(Path dataDir, EmbeddedPostgres first) {
        this.dataDir = dataDir;
        this.running = first;
        this.port = first.getPort();
    }

    static RestartablePostgres start() {
        try {
            Path dataDir = Files.createTempDirectory("external-postgres-");
            return new RestartablePostgres(dataDir, EmbeddedPostgres.builder().setDataDirectory(dataDir)
                    .setCleanDataDirectory(false).start());
        }
        catch (IOException ex) {
            throw new IllegalStateException(ex);
        }
    }

    String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + port + "/postgres";
    }

    int port() {
        return port;
    }

    /** A fast shutdown, as when the server is stopped for maintenance: clients are disconnected. */
    synchronized void stop() throws IOException {
        if (running != null) {
            running.close();
            running = null;
        }
    }

    synchronized void startAgain() throws IOException {
        if (running == null) {
            running = EmbeddedPostgres.builder().setDataDirectory(dataDir).setCleanDataDirectory(false).setPort(port)
                    .start();
        }
    }

    @Override
    public void close() throws IOException {
        stop();
        FileSystemUtils.deleteRecursively(dataDir);
    }
}
