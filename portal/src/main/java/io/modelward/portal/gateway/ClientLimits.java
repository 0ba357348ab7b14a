package io.modelward.portal.gateway;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * What the inference requests in flight may hold at once: requests per client address, requests of all clients, and
 * request bytes in memory. Each admission is released exactly once, when its request ends.
 */
final class ClientLimits {

    private final int perClient;
    private final int total;
    private final long maxBuffered;
    private final ConcurrentHashMap<String, AtomicInteger> byClient = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong buffered = new AtomicLong();

    ClientLimits(GatewayProperties.Intake settings) {
        this.perClient = settings.maxRequestsPerClient();
        this.total = settings.maxRequests();
        this.maxBuffered = settings.maxBuffered().toBytes();
    }

    /** Why a request is refused, with the status it gets. */
    record Refusal(int status, String reason) {
    }

    /** Admits one request of this client, or says why not; an admitted request must be {@link #release}d. */
    @Nullable Refusal admit(String client) {
        if (inFlight.incrementAndGet() > total) {
            inFlight.decrementAndGet();
            return new Refusal(503, "The portal is serving " + total + " inference requests, its limit. Try again "
                    + "shortly.");
        }
        AtomicInteger mine = byClient.compute(client, (key, count) -> {
            AtomicInteger counter = count == null ? new AtomicInteger() : count;
            counter.incrementAndGet();
            return counter;
        });
        if (mine.get() > perClient) {
            release(client);
            return new Refusal(429, "Too many inference requests in flight from " + client + " (at most "
                    + perClient + " at once). Try again when some have been answered.");
        }
        return null;
    }

    void release(String client) {
        byClient.computeIfPresent(client, (key, count) -> count.decrementAndGet() <= 0 ? null : count);
        inFlight.decrementAndGet();
    }

    /** Reserves memory for request bytes; false (and nothing reserved) when that would pass the limit. */
    boolean reserve(long bytes) {
        if (buffered.addAndGet(bytes) > maxBuffered) {
            buffered.addAndGet(-bytes);
            return false;
        }
        return true;
    }

    void free(long bytes) {
        buffered.addAndGet(-bytes);
    }

    int inFlight() {
        return inFlight.get();
    }

    long buffered() {
        return buffered.get();
    }
}
