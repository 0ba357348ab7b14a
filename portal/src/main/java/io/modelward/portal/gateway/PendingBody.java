package io.modelward.portal.gateway;

import java.io.IOException;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import io.modelward.governance.Outcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.context.SecurityContext;

/**
 * One inference request's body as it arrives, read without a thread whenever the container reports bytes. Its stages:
 * <ul>
 * <li>{@code RECEIVING} into memory; once complete, the request is dispatched again and served ({@code SERVING});
 * <li>{@code DRAINING}: refused (too slow, too large, over a limit), the answer already sent; what the client still
 * sends is read and dropped, so the connection can be reused and no thread waits for it. A client that keeps sending
 * after it should have stopped, or too slowly, is cut off ({@code cut}): its next bytes close the connection, and the
 * container's read timeout closes a silent one;
 * <li>{@code GONE}: the client went away first.
 * </ul>
 * Its admission is released exactly once, when the request ends.
 */
final class PendingBody implements ReadListener, AsyncListener {

    enum Stage { RECEIVING, SERVING, DRAINING, GONE }

    private final BodyIntake intake;
    private final HttpServletRequest request;
    private final HttpServletResponse response;
    private final InferencePath call;
    private final BodyIntake.Caller caller;
    private final @Nullable String client;
    private final AsyncContext async;
    private final long declared;
    private final AtomicReference<Stage> stage;
    private final AtomicBoolean released = new AtomicBoolean();
    private volatile long since = System.nanoTime();
    private volatile boolean cut;
    private volatile boolean answered;
    private volatile boolean ended;
    private volatile boolean listening;
    private byte[] buffer;
    private long reserved;
    private volatile int size;

    /**
     * @param client the admitted client whose place this request holds, or null for a request refused at admission
     */
    PendingBody(BodyIntake intake, HttpServletRequest request, HttpServletResponse response, InferencePath call,
            SecurityContext security, @Nullable String client, AsyncContext async, long declared, long reserved) {
        this.intake = intake;
        this.request = request;
        this.response = response;
        this.call = call;
        this.caller = BodyIntake.Caller.of(request, security);
        this.client = client;
        this.async = async;
        this.declared = declared;
        this.reserved = reserved;
        this.stage = new AtomicReference<>(client == null ? Stage.DRAINING : Stage.RECEIVING);
        this.answered = client == null; // refused at admission: answered before its body is drained
        this.buffer = new byte[client == null ? 0 : (int) Math.max(declared, 0)];
    }

    /** Whether the container reports its bytes as they arrive (else it is read in the usual, blocking way). */
    boolean listening() {
        return listening;
    }

    void listening(boolean listening) {
        this.listening = listening;
    }

    @Override
    public void onDataAvailable() throws IOException {
        if (stage.get() == Stage.DRAINING) {
            if (cut) {
                // thrown on the container's thread: it closes the connection without reading the rest
                throw new IOException("The client was refused and kept sending: its connection is closed");
            }
            drain();
            return;
        }
        ServletInputStream in = request.getInputStream();
        while (stage.get() == Stage.RECEIVING && !in.isFinished() && in.isReady()) {
            if (size == buffer.length && (declared >= 0 || !grow())) {
                return; // all declared bytes are here (the container reports the end next), or refused
            }
            int n = in.read(buffer, size, buffer.length - size);
            if (n < 0) {
                return;
            }
            size += n;
        }
    }

    /**
     * Reads and drops what has arrived, until the container has to wait for more (it reports the next bytes then); ends
     * the request once the body is complete. Never ends it before: the container would then wait for the rest itself.
     */
    void drain() throws IOException {
        ServletInputStream in = request.getInputStream();
        byte[] scratch = new byte[8192];
        while (!in.isFinished() && in.isReady()) {
            if (in.read(scratch) < 0) {
                break;
            }
        }
        if (in.isFinished()) {
            complete();
        }
    }

    /** Makes room for a body of unknown length; false when it may not grow (and the request is refused). */
    private boolean grow() {
        long limit = intake.maxBody();
        if (buffer.length > limit) {
            refuse(413, "The request body is larger than the limit of " + limit + " bytes.", true);
            return false;
        }
        int bigger = (int) Math.min(Math.max(8192, 2L * buffer.length), limit + 1);
        if (!intake.limits().reserve(bigger - buffer.length)) {
            refuse(503, "The portal holds as many request bodies in memory as it may. Try again shortly.", false);
            return false;
        }
        reserved += bigger - buffer.length;
        buffer = Arrays.copyOf(buffer, bigger);
        return true;
    }

    /** The whole body is here: the request goes through the filters and the servlet again, and is served then. */
    @Override
    public void onAllDataRead() {
        if (stage.compareAndSet(Stage.RECEIVING, Stage.SERVING)) {
            async.dispatch();
        }
        else if (stage.get() == Stage.DRAINING) {
            complete();
        }
    }

    /** The connection failed or timed out; while receiving, the client went away before an answer. */
    @Override
    public void onError(Throwable failure) {
        if (stage.compareAndSet(Stage.RECEIVING, Stage.GONE)) {
            String reason = "The client went away before an answer: the connection failed after " + size + " of "
                    + (declared < 0 ? "an unknown number of" : String.valueOf(declared)) + " body bytes ("
                    + failure.getClass().getSimpleName() + ").";
            long received = size;
            Thread.ofVirtual().start(() -> intake.audit(caller, call, null, Outcome.CLIENT_ERROR, received, reason));
        }
        complete();
    }

    /**
     * Checked by the intake's sweeper: a body receiving slower than the minimum rate is refused with 408; a refused
     * client still sending after the grace is cut off.
     */
    void sweep(long now) {
        long afterGrace = now - since - intake.bodyGraceNanos();
        if (afterGrace <= 0) {
            return;
        }
        Stage current = stage.get();
        if (current == Stage.RECEIVING && size < intake.minBodyRate() * (afterGrace / 1e9)) {
            refuse(408, "The request body arrived too slowly: " + size + " of "
                    + (declared < 0 ? "an unknown number of" : String.valueOf(declared)) + " bytes in "
                    + String.format(Locale.ROOT, "%.0f", (now - since) / 1e9) + " s (after the first "
                    + intake.bodyGraceNanos() / 1_000_000_000 + " s, at least " + intake.minBodyRate()
                    + " bytes per second are required).", true);
        }
        else if (current == Stage.DRAINING && answered) {
            cut = true;
        }
    }

    /**
     * Refuses the request while its body is arriving: answered at once (on a thread of its own, never the container's:
     * a task of the container's that failed after the request had ended would fail the connection's next request),
     * then drained, or cut off once answered.
     */
    private void refuse(int status, String reason, boolean cutOff) {
        if (stage.compareAndSet(Stage.RECEIVING, Stage.DRAINING)) {
            long received = size;
            Thread.ofVirtual().name("gateway-refusal").start(() -> answer(status, reason, received, cutOff));
        }
    }

    private void answer(int status, String reason, long received, boolean cutOff) {
        if (ended) {
            return; // the client went away meanwhile
        }
        try {
            intake.refuse(caller, request, response, call, status, reason, received);
            since = System.nanoTime();
            cut = cutOff;
            answered = true;
            drain();
        }
        catch (IOException | RuntimeException ex) {
            complete(); // the client is gone as well, or the request ended meanwhile: the refusal is on the trail
        }
    }

    /**
     * Serves the complete body as an ordinary request on the dispatch's thread, then notes how the answer went out. The
     * container ends the request when the dispatch returns.
     */
    void serve(FilterChain chain) {
        DeliveryWatch watched = new DeliveryWatch(response);
        try {
            chain.doFilter(new BufferedRequest(request, buffer, size), watched);
            watched.deliver();
        }
        catch (IOException | ServletException | RuntimeException ex) {
            intake.failed(request, watched, ex);
        }
        if (watched.broken()) {
            intake.audit(caller, call, response.getStatus(), Outcome.CLIENT_ERROR, (long) size,
                    "The connection broke while the answer (HTTP " + response.getStatus() + ", request "
                            + response.getHeader("X-Request-Id") + ") was written: the client may not have received it.");
        }
    }

    /** For containers without non-blocking reads: reads the body on this thread, then serves it. */
    void readBlockingAndServe(FilterChain chain) throws IOException {
        byte[] all = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, intake.maxBody() + 1));
        buffer = all;
        size = all.length;
        if (stage.compareAndSet(Stage.RECEIVING, Stage.SERVING)) {
            serve(chain);
        }
        complete();
    }

    /** Ends the request, unless the container has ended it already. */
    private void complete() {
        try {
            async.complete();
        }
        catch (IllegalStateException ex) {
            // already completed
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        release();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        release();
    }

    /** Ends the request here, so the container does not dispatch it to an error page as well. */
    @Override
    public void onError(AsyncEvent event) {
        complete();
        release();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
        // not restarted
    }

    private void release() {
        ended = true;
        if (released.compareAndSet(false, true)) {
            intake.ended(this, client, reserved);
        }
    }
}
