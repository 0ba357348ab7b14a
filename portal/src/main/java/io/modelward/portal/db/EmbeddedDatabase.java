package io.modelward.portal.db;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.IntFunction;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.util.FileSystemUtils;

/**
 * The embedded PostgreSQL, kept running. A supervisor thread looks at its postmaster every second; when it has died
 * (killed, crashed, stopped by hand), it starts PostgreSQL again on the same data directory and port, so the pool's
 * next connections reach it under the same URL. Each restart is logged once; after {@value #MAX_ATTEMPTS} failed
 * attempts in a row (1, 2, 4, 8 s apart) it gives up with a clear log line, and the portal answers 503 until it is
 * restarted.
 */
public final class EmbeddedDatabase implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);
    static final int MAX_ATTEMPTS = 5;
    private static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final Path dataDir;
    private final boolean ephemeral;
    private final IntFunction<EmbeddedPostgres.Builder> builder;
    private final int port;
    private volatile EmbeddedPostgres postgres;
    private volatile ProcessHandle postmaster;
    private volatile boolean closing;
    private volatile int restarts;
    private volatile long restartBegan = Long.MIN_VALUE;
    private final Thread supervisor;

    private EmbeddedDatabase(Path dataDir, boolean ephemeral, IntFunction<EmbeddedPostgres.Builder> builder,
            EmbeddedPostgres first) throws IOException {
        this.dataDir = dataDir;
        this.ephemeral = ephemeral;
        this.builder = builder;
        this.postgres = first;
        this.port = first.getPort();
        this.postmaster = postmaster(dataDir);
        this.supervisor = Thread.ofPlatform().name("embedded-postgres-supervisor").daemon().unstarted(this::supervise);
    }

    /**
     * Starts PostgreSQL on {@code dataDir} (initialised on first use) and its supervisor.
     *
     * @param builder a builder for the given port ({@code 0} on the first start: a free one), data directory not set
     * @param ephemeral delete {@code dataDir} on close
     */
    static EmbeddedDatabase start(Path dataDir, int port, boolean ephemeral, IntFunction<EmbeddedPostgres.Builder> builder)
            throws IOException {
        EmbeddedPostgres first = builder.apply(port).setDataDirectory(dataDir).setCleanDataDirectory(false).start();
        EmbeddedDatabase database;
        try {
            database = new EmbeddedDatabase(dataDir, ephemeral, builder, first);
        }
        catch (IOException | RuntimeException ex) {
            first.close();
            throw ex;
        }
        database.supervisor.start();
        return database;
    }

    public String jdbcUrl() {
        return postgres.getJdbcUrl("postgres", "postgres");
    }

    public int port() {
        return port;
    }

    public Path dataDirectory() {
        return dataDir;
    }

    /** The running postmaster. */
    public ProcessHandle postmaster() {
        return postmaster;
    }

    /** {@link System#nanoTime()} when the supervisor last began to start PostgreSQL again; Long.MIN_VALUE if never. */
    public long restartBegan() {
        return restartBegan;
    }

    /** How many times the supervisor has started PostgreSQL again. */
    public int restarts() {
        return restarts;
    }

    private void supervise() {
        try {
            while (true) {
                Thread.sleep(CHECK_EVERY);
                if (closing) {
                    return;
                }
                if (!alive(postmaster) && !restart()) {
                    return;
                }
            }
        }
        catch (InterruptedException ex) {
            // closing
        }
    }

    /** Starts PostgreSQL again, backing off between attempts; false when it gave up. */
    private boolean restart() throws InterruptedException {
        log.warn("Embedded PostgreSQL (pid {}) has stopped; starting it again on 127.0.0.1:{} with {}",
                postmaster.pid(), port, dataDir);
        quietly(postgres);
        String lastError = "";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            if (closing) {
                return false;
            }
            try {
                // a failed start keeps the library's lock on this file for good: a new file is a new lock
                Files.deleteIfExists(dataDir.resolve("epg-lock"));
                long started = System.nanoTime();
                restartBegan = started;
                EmbeddedPostgres again = builder.apply(port).setDataDirectory(dataDir).setCleanDataDirectory(false)
                        .start();
                postgres = again;
                postmaster = postmaster(dataDir);
                restarts++;
                log.warn("Embedded PostgreSQL is running again on 127.0.0.1:{} (pid {}), started in {} ms", port,
                        postmaster.pid(), (System.nanoTime() - started) / 1_000_000);
                return true;
            }
            catch (IOException | RuntimeException ex) {
                lastError = ex.getMessage();
                log.debug("Starting the embedded PostgreSQL again failed (attempt {})", attempt, ex);
                if (attempt < MAX_ATTEMPTS) {
                    Thread.sleep(Duration.ofSeconds(1L << (attempt - 1)));
                }
            }
        }
        log.error("Gave up starting the embedded PostgreSQL of {} after {} attempts (last: {}); the portal answers 503 "
                + "until it is restarted", dataDir, MAX_ATTEMPTS, lastError);
        return false;
    }

    /** Stops PostgreSQL (and deletes an ephemeral data directory); the supervisor first. */
    @Override
    public void close() throws IOException {
        closing = true;
        supervisor.interrupt();
        try {
            supervisor.join(Duration.ofSeconds(90));
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
        postgres.close();
        if (alive(postmaster)) {
            log.warn("Embedded PostgreSQL (pid {}) is still running after the portal stopped it", postmaster.pid());
        }
        if (ephemeral) {
            FileSystemUtils.deleteRecursively(dataDir);
        }
    }

    /** Closes a PostgreSQL whose postmaster died: releases its lock on the data directory. */
    private static void quietly(@Nullable EmbeddedPostgres dead) {
        try {
            if (dead != null) {
                dead.close();
            }
        }
        catch (IOException | RuntimeException ex) {
            log.debug("Cleaning up after the stopped PostgreSQL: {}", ex.toString());
        }
    }

    /** Alive and not a zombie (a killed process its parent has not reaped yet). */
    static boolean alive(ProcessHandle process) {
        if (!process.isAlive()) {
            return false;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        }
        catch (IOException | RuntimeException ex) {
            // no /proc (not Linux), or it has just gone
            return process.isAlive();
        }
    }

    /** The postmaster that {@code postmaster.pid} names. */
    private static ProcessHandle postmaster(Path dataDir) throws IOException {
        List<String> lines = Files.readAllLines(dataDir.resolve("postmaster.pid"));
        Optional<ProcessHandle> process = lines.isEmpty() ? Optional.empty()
                : ProcessHandle.of(Long.parseLong(lines.getFirst().strip()));
        return process.orElseThrow(() -> new IOException("PostgreSQL of " + dataDir + " is not running"));
    }
}
