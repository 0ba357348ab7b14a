package io.modelward.runtime.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.Semaphore;

import com.sun.net.httpserver.HttpExchange;
import io.modelward.runtime.engine.OverloadedException;

/**
 * Request bodies: read whole within the size limit, counted against a budget of bytes held at once (so many clients
 * sending large tensors cannot exhaust memory), released when the exchange ends, and, when refused for size, read
 * and dropped up to a bound so that the client receives the 413.
 */
final class RequestBodies {

    private static final String PERMITS = "modelward.body-permits";

    private final long maxBodyBytes;
    /** Bytes of request bodies held at once, in KiB. */
    private final Semaphore budget;

    RequestBodies(long maxBodyBytes, long maxInflightBytes) {
        this.maxBodyBytes = maxBodyBytes;
        this.budget = new Semaphore((int) Math.min(Integer.MAX_VALUE, Math.max(maxInflightBytes, maxBodyBytes) >> 10));
    }

    /**
     * The whole body, within the size limit (413 above it) and the inflight budget (503 when it is spent); the
     * budget is held until {@link #release}.
     */
    byte[] read(HttpExchange exchange) throws IOException {
        String header = exchange.getRequestHeaders().getFirst("Content-Length");
        long declared = -1;
        if (header != null) {
            try {
                declared = Long.parseLong(header.strip());
            }
            catch (NumberFormatException ex) {
                throw new HttpError(400, "Content-Length is not a number.");
            }
            if (declared > maxBodyBytes) {
                throw new HttpError(413, "The request body is larger than " + (maxBodyBytes >> 20) + " MiB.");
            }
        }
        int permits = (int) Math.max(1, ((declared >= 0 ? declared : maxBodyBytes) + 1023) >> 10);
        if (!budget.tryAcquire(permits)) {
            throw new OverloadedException("Too many large requests are being received at once: try again shortly.");
        }
        exchange.setAttribute(PERMITS, permits);
        try (InputStream in = exchange.getRequestBody()) {
            if (declared >= 0) {
                // the common case: one read into an array of exactly the right size, no intermediate copies
                byte[] body = in.readNBytes((int) declared);
                if (body.length != declared) {
                    throw new HttpError(400, "The request body ended after " + body.length + " of " + declared
                            + " bytes.");
                }
                return body;
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            byte[] buffer = new byte[64 * 1024];
            long total = 0;
            int n;
            while ((n = in.read(buffer)) != -1) {
                total += n;
                if (total > maxBodyBytes) {
                    throw new HttpError(413, "The request body is larger than " + (maxBodyBytes >> 20) + " MiB.");
                }
                out.write(buffer, 0, n);
            }
            return out.toByteArray();
        }
    }

    /** Gives back the budget a body of this exchange held. */
    void release(HttpExchange exchange) {
        if (exchange.getAttribute(PERMITS) instanceof Integer permits) {
            budget.release(permits);
        }
    }

    /** How much of a refused oversized body is read and dropped after the 413, as Tomcat's maxSwallowSize does. */
    private static final long SWALLOW_LIMIT = 4L << 20;

    /**
     * Reads and drops the rest of a refused oversized body (up to {@link #SWALLOW_LIMIT}) before the 413 is sent, so
     * the connection ends cleanly and the client reads the 413 rather than a reset. A body declared larger than that
     * is not read at all.
     */
    void swallow(HttpExchange exchange) {
        String declared = exchange.getRequestHeaders().getFirst("Content-Length");
        boolean huge = declared != null
                && (!declared.strip().matches("\\d{1,18}") || Long.parseLong(declared.strip()) > SWALLOW_LIMIT);
        if (huge) {
            return; // far too large to be worth reading: the client gets a reset
        }
        try {
            java.io.InputStream body = exchange.getRequestBody();
            byte[] buffer = new byte[64 * 1024];
            long left = SWALLOW_LIMIT;
            int read;
            while (left > 0 && (read = body.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                left -= read;
            }
        }
        catch (IOException gone) {
            // the client stopped sending: nothing left to drop
        }
    }
}
