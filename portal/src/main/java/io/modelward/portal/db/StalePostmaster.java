package io.modelward.portal.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A portal killed hard (kill -9, power loss) leaves its embedded PostgreSQL running, holding the data directory. The
 * next start finds it through {@code postmaster.pid} and stops it cleanly, so the data directory can be reopened.
 */
final class StalePostmaster {

    private static final Logger log = LoggerFactory.getLogger(StalePostmaster.class);

    private StalePostmaster() {
    }

    static void stopIfRunning(Path dataDir) throws IOException {
        Path pidFile = dataDir.resolve("postmaster.pid");
        if (!Files.isRegularFile(pidFile)) {
            return;
        }
        List<String> lines = Files.readAllLines(pidFile);
        Optional<ProcessHandle> process = lines.isEmpty() ? Optional.empty() : parse(lines.getFirst())
                .flatMap(ProcessHandle::of).filter(ProcessHandle::isAlive).filter(StalePostmaster::isPostgres);
        if (process.isEmpty()) {
            return;
        }
        ProcessHandle postmaster = process.get();
        log.warn("Stopping PostgreSQL (pid {}) left running on {} by an earlier run", postmaster.pid(), dataDir);
        postmaster.destroy();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (postmaster.isAlive() && Instant.now().isBefore(deadline)) {
            try {
                Thread.sleep(100);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                throw new IOException("Interrupted while stopping the stale PostgreSQL", ex);
            }
        }
        if (postmaster.isAlive()) {
            throw new IOException("PostgreSQL (pid " + postmaster.pid() + ") still holds " + dataDir
                    + " after 30 s; stop it and start again.");
        }
    }

    private static Optional<Long> parse(String line) {
        try {
            return Optional.of(Long.parseLong(line.strip()));
        }
        catch (NumberFormatException ex) {
            return Optional.empty();
        }
    }

    private static boolean isPostgres(ProcessHandle process) {
        return process.info().command().map(c -> c.endsWith("postgres") || c.endsWith("postmaster")).orElse(false);
    }
}
