package io.modelward.portal.gateway;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import javax.sql.DataSource;

import io.modelward.governance.AuditChainStore;
import io.modelward.governance.AuditRecord;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Writes inference audit records durably, many per commit: one thread takes what is queued, up to {@code batch-size}
 * records (and, if {@code max-wait} is set, what arrives within it of the first), appends them to this portal's chain
 * in one commit, and completes each caller's future once it has committed. It fails closed: a full queue or a failed
 * commit completes the futures exceptionally, and the gateway answers 503 instead of answering unaudited. A record
 * whose caller stopped waiting before the writer took it is never written (its request was refused), and a failed
 * commit makes the next one read the chain's head from the database again, so the writer recovers by itself once the
 * database is back. Its last commit's outcome is the gateway's readiness ({@link AuditReadiness}).
 */
@Component
public class AuditWriter implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(AuditWriter.class);

    private final AuditChainStore chains;
    private final TransactionTemplate transactions;
    private final GatewayProperties.Audit settings;
    private final String chainId;
    private final BlockingQueue<Pending> queue;
    private volatile @Nullable Thread thread;
    /** Where this writer's last commit left its chain; only the writer thread uses it. */
    private AuditChainStore.@Nullable Head head;
    /** The outcome of the last commit; null before the first. */
    private volatile AuditReadiness.@Nullable Verdict lastCommit;
    /** Commits failed in a row; only the writer thread uses it. */
    private int failures;

    /**
     * @param dataSource the database {@code chains} writes to: the writer runs plain JDBC transactions on it, which
     *        cost less per commit than the application's JPA transactions
     */
    public AuditWriter(AuditChainStore chains, DataSource dataSource, GatewayProperties properties) {
        this.chains = chains;
        this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
        this.settings = properties.audit();
        this.chainId = settings.chainId() != null && !settings.chainId().isBlank() ? settings.chainId()
                : defaultChainId();
        this.queue = new ArrayBlockingQueue<>(settings.queueSize());
    }

    /** Thrown (in the future) when a record could not be written: the request must not be answered. */
    public static final class AuditUnavailable extends RuntimeException {

        AuditUnavailable(String message, @Nullable Throwable cause) {
            super(message, cause);
        }
    }

    /** A queued record: the writer takes it for a commit, or its caller abandons it; whichever comes first. */
    private record Pending(AuditRecord record, CompletableFuture<AuditChainStore.Chained> written,
            AtomicInteger state) {

        static final int QUEUED = 0;
        static final int TAKEN = 1;
        static final int ABANDONED = 2;

        Pending(AuditRecord record) {
            this(record, new CompletableFuture<>(), new AtomicInteger(QUEUED));
        }

        boolean take() {
            return state.compareAndSet(QUEUED, TAKEN);
        }

        boolean abandon() {
            return state.compareAndSet(QUEUED, ABANDONED);
        }
    }

    public String chainId() {
        return chainId;
    }

    /** Queues a record; the future completes once it is committed, or fails (queue full, database down). */
    public CompletableFuture<AuditChainStore.Chained> write(AuditRecord record) {
        return enqueue(record).written();
    }

    /**
     * Writes a record and waits until it is committed. If the writer has not taken it within {@code wait}, it is
     * withdrawn and never written; if the writer is committing it, the commit's outcome decides (within a grace).
     *
     * @throws AuditUnavailable when the record is not (known to be) in the trail: the request must not be answered
     */
    public AuditChainStore.Chained writeWithin(AuditRecord record, Duration wait) throws InterruptedException {
        Pending pending = enqueue(record);
        try {
            try {
                return pending.written().get(wait.toMillis(), TimeUnit.MILLISECONDS);
            }
            catch (TimeoutException ex) {
                if (pending.abandon()) {
                    throw new AuditUnavailable("The audit record was not written within " + wait.toSeconds()
                            + " s.", null);
                }
                return pending.written().get(COMMIT_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
        catch (ExecutionException ex) {
            throw ex.getCause() instanceof AuditUnavailable unavailable ? unavailable
                    : new AuditUnavailable("The audit trail cannot be written: " + ex.getCause(), ex.getCause());
        }
        catch (TimeoutException ex) {
            log.error("An audit commit has taken longer than {} s; its request is refused, though its record may "
                    + "still be written", wait.plus(COMMIT_GRACE).toSeconds());
            throw new AuditUnavailable("The audit commit did not finish in time.", ex);
        }
    }

    /** How long a caller whose record is being committed waits for that commit beyond its own wait. */
    private static final Duration COMMIT_GRACE = Duration.ofSeconds(30);

    private Pending enqueue(AuditRecord record) {
        Pending pending = new Pending(record);
        if (thread == null) {
            pending.written().completeExceptionally(new AuditUnavailable("The audit writer is not running.", null));
        }
        else if (!queue.offer(pending)) {
            pending.written().completeExceptionally(new AuditUnavailable("The audit queue is full.", null));
        }
        return pending;
    }

    /** The outcome of the last commit, or null before the first. */
    AuditReadiness.@Nullable Verdict lastCommit() {
        return lastCommit;
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>(settings.batchSize());
        while (true) {
            try {
                Pending first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (thread == null) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                long deadline = System.nanoTime() + settings.maxWait().toNanos();
                while (batch.size() < settings.batchSize()) {
                    long left = deadline - System.nanoTime();
                    Pending next = left > 0 ? queue.poll(left, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    batch.add(next);
                    queue.drainTo(batch, settings.batchSize() - batch.size());
                }
                commit(batch);
                batch.clear();
            }
            catch (InterruptedException ex) {
                // stopping: write what is queued, then end
                queue.drainTo(batch);
                if (!batch.isEmpty()) {
                    commit(batch);
                }
                return;
            }
        }
    }

    private void commit(List<Pending> batch) {
        // records whose callers gave up waiting were refused: they are not written
        batch.removeIf(pending -> !pending.take());
        if (batch.isEmpty()) {
            return;
        }
        List<AuditRecord> records = batch.stream().map(Pending::record).toList();
        long started = System.nanoTime();
        List<AuditChainStore.Chained> rows;
        try {
            rows = append(records);
            head = AuditChainStore.Head.after(rows);
        }
        catch (RuntimeException ex) {
            // the commit may or may not have happened: read the head again next time
            head = null;
            lastCommit = AuditReadiness.Verdict.failed(started, ex.toString());
            if (failures++ == 0) {
                log.error("Could not write {} audit records; their requests are refused until the audit trail can be "
                        + "written again: {}", batch.size(), ex.toString());
            }
            else {
                log.debug("Could not write {} audit records ({} failed commits in a row): {}", batch.size(), failures,
                        ex.toString());
            }
            AuditUnavailable failure = new AuditUnavailable("The audit trail cannot be written: " + ex.getMessage(), ex);
            batch.forEach(pending -> pending.written().completeExceptionally(failure));
            return;
        }
        lastCommit = AuditReadiness.Verdict.ok(started);
        if (failures > 0) {
            log.info("Audit records are written again, after {} failed commits", failures);
            failures = 0;
        }
        for (int i = 0; i < batch.size(); i++) {
            batch.get(i).written().complete(rows.get(i));
        }
    }

    /** After the head this writer's last commit left, else (first batch, or the chain moved) after the locked head. */
    private List<AuditChainStore.Chained> append(List<AuditRecord> records) {
        AuditChainStore.Head known = head;
        if (known != null) {
            try {
                // a small batch is one statement, committed on its own: one round trip to the database
                return records.size() < AuditChainStore.COPY_FROM ? chains.appendAfter(chainId, known, records)
                        : transactions.execute(status -> chains.appendAfter(chainId, known, records));
            }
            catch (AuditChainStore.ChainMoved ex) {
                log.warn("Another writer appended to audit chain {}; continuing after its rows", chainId);
            }
        }
        return transactions.execute(status -> chains.append(chainId, records));
    }

    private static String defaultChainId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        }
        catch (UnknownHostException ex) {
            host = "portal";
        }
        String id = "gateway-" + host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "-");
        return id.length() <= 64 ? id : id.substring(0, 64);
    }

    @Override
    public void start() {
        Thread writer = Thread.ofPlatform().name("audit-writer").daemon().unstarted(this::loop);
        thread = writer;
        writer.start();
    }

    @Override
    public void stop() {
        Thread writer = thread;
        thread = null;
        if (writer != null) {
            writer.interrupt();
            try {
                writer.join(30_000);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return thread != null;
    }

    /** Stops after the web server has drained its requests, so their records are still written. */
    @Override
    public int getPhase() {
        return 0;
    }
}
