package io.modelward.runtime.http;

import java.util.concurrent.Semaphore;

import io.modelward.runtime.engine.OverloadedException;

/**
 * Request bodies: each within the size limit, and all of them counted against a budget of bytes held at once (so
 * many clients sending large tensors cannot exhaust memory). A body takes its share of the budget when its headers
 * arrive (its declared length, or the size limit when it declares none) and gives it back when its exchange ends.
 */
final class RequestBodies {

    /** How much of a refused body is read and dropped before the refusal is sent, as Tomcat's maxSwallowSize does. */
    static final long SWALLOW_LIMIT = 4L << 20;

    private final long maxBodyBytes;
    /** Bytes of request bodies held at once, in KiB. */
    private final Semaphore budget;

    RequestBodies(long maxBodyBytes, long maxInflightBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.budget = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(maxInflightBytes, maxBodyBytes) >> 10));
    }

    long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The refusal of a body above the size limit. */
    HttpError tooLarge() {
        return new HttpError(413, "The request body is larger than " + (maxBodyBytes >> 20) + " MiB.");
    }

    /**
     * Takes the budget for a body of the declared length (-1: not declared, so the size limit is assumed): 413 above
     * the size limit, 503 when the budget is spent. Returns the permits to {@link #release}.
     */
    int acquire(long declared) {
        if (declared > maxBodyBytes) {
            throw tooLarge();
        }
        int permits = (int) Math.max(1, ((declared >= 0 ? declared : maxBodyBytes) + 1023) >> 10);
        if (!budget.tryAcquire(permits)) {
            throw new OverloadedException("Too many large requests are being received at once: try again shortly.");
        }
        return permits;
    }

    void release(int permits) {
        if (permits > 0) {
            budget.release(permits);
        }
    }
}
