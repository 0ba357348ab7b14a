package io.modelward.portal.gateway;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Logs refused clients at most once per interval, with a count of the refusals it kept quiet about: a flood of slow or
 * greedy clients must not become a flood of log lines (each refusal is on the audit trail anyway).
 */
final class RefusalLog {

    private static final Logger log = LoggerFactory.getLogger(RefusalLog.class);
    private static final long INTERVAL = TimeUnit.SECONDS.toNanos(10);

    private final AtomicLong nextLine = new AtomicLong(System.nanoTime());
    private final AtomicLong quiet = new AtomicLong();

    void refused(String client, int status, String reason) {
        long now = System.nanoTime();
        long next = nextLine.get();
        if (now - next >= 0 && nextLine.compareAndSet(next, now + INTERVAL)) {
            long more = quiet.getAndSet(0);
            log.warn("Refused an inference request from {} with {}: {}{}", client, status, reason,
                    more == 0 ? "" : " (and " + more + " more refusals since the last such line)");
        }
        else {
            quiet.incrementAndGet();
        }
    }
}
