package io.modelward.portal.gateway;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.modelward.governance.Actor;
import io.modelward.governance.Outcome;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.http.HttpStatus;
import org.springframework.security.core.context.SecurityContext;
import org.springframework.security.core.context.SecurityContextHolder;

/**
 * Receives the bodies of inference requests without holding a thread, after the security filters have authenticated
 * the caller from the headers. A request thread is taken only once the whole body is in memory, when the request is
 * dispatched again (the security context travels as a request attribute) and served; a slow client holds at most a
 * connection and its bytes so far. Bodies must average {@code min-body-rate} after {@code body-grace}, or
 * get 408; clients may have {@code max-requests-per-client} requests in flight (429 past that), all of them together
 * {@code max-requests} (503), within {@code max-buffered} bytes of memory (503). Every refusal is audited, and a client
 * that goes away before its answer is recorded as such.
 */
final class BodyIntake implements Filter, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(BodyIntake.class);
    private static final String PENDING = BodyIntake.class.getName() + ".pending";
    private static final String UNAUDITED = "The request could not be recorded in the audit trail, so it is not "
            + "answered. Try again shortly.";

    private final InferenceGateway gateway;
    private final ErrorBodies errors;
    private final Callers callers;
    private final ClientLimits limits;
    private final RefusalLog refusals = new RefusalLog();
    private final long maxBody;
    private final long bodyGraceNanos;
    private final long minBodyRate;
    private final Set<PendingBody> pending = ConcurrentHashMap.newKeySet();
    private final ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("gateway-intake-sweeper").daemon().factory());

    BodyIntake(InferenceGateway gateway, ErrorBodies errors, Callers callers, GatewayProperties properties) {
        this.gateway = gateway;
        this.errors = errors;
        this.callers = callers;
        this.limits = new ClientLimits(properties.intake());
        this.maxBody = Math.min(properties.maxBodySize().toBytes(), Integer.MAX_VALUE - 8);
        this.bodyGraceNanos = properties.intake().bodyGrace().toNanos();
        this.minBodyRate = properties.intake().minBodyRate().toBytes();
        sweeper.scheduleWithFixedDelay(this::sweep, 250, 250, TimeUnit.MILLISECONDS);
    }

    @Override
    public void doFilter(ServletRequest req, ServletResponse res, FilterChain chain)
            throws IOException, ServletException {
        HttpServletRequest request = (HttpServletRequest) req;
        HttpServletResponse response = (HttpServletResponse) res;
        if (request.getDispatcherType() == DispatcherType.ASYNC && request.getAttribute(PENDING) instanceof PendingBody body) {
            request.removeAttribute(PENDING);
            body.serve(chain);
            return;
        }
        InferencePath call = request.getDispatcherType() == DispatcherType.REQUEST ? InferencePath.of(request) : null;
        if (call == null) {
            chain.doFilter(req, res);
            return;
        }
        String client = request.getRemoteAddr();
        SecurityContext security = SecurityContextHolder.getContext();
        ClientLimits.Refusal refusal = limits.admit(client);
        if (refusal != null) {
            refuseAtOnce(request, response, call, security, refusal.status(), refusal.reason());
            return;
        }
        long declared = request.getContentLengthLong();
        if (declared > maxBody || !request.isAsyncSupported()) {
            try {
                chain.doFilter(req, res); // the gateway refuses an oversized body unread (413)
            }
            finally {
                limits.release(client);
            }
            return;
        }
        long reserved = Math.max(declared, 0);
        if (!limits.reserve(reserved)) {
            limits.release(client);
            refuseAtOnce(request, response, call, security, 503, "The portal holds as many request bodies in memory "
                    + "as it may. Try again shortly.");
            return;
        }
        PendingBody body = listen(request, response, call, security, client, reserved);
        if (body.listening()) {
            request.setAttribute(PENDING, body);
        }
        else {
            body.readBlockingAndServe(chain); // a container without non-blocking reads
        }
    }

    /**
     * Refuses a request before its body is read: answered now, then its body is drained without a thread (a container
     * without non-blocking reads drops it as it ends the request).
     */
    private void refuseAtOnce(HttpServletRequest request, HttpServletResponse response, InferencePath call,
            SecurityContext security, int status, String reason) throws IOException {
        refuse(Caller.of(request, security), request, response, call, status, reason, null);
        if (request.isAsyncSupported() && request.getContentLengthLong() != 0
                && !listen(request, response, call, security, null, 0).listening()) {
            request.getAsyncContext().complete();
        }
    }

    /**
     * Puts the request in asynchronous mode and has its body read as it arrives, where the container can read without
     * blocking (else the body is not {@link PendingBody#listening()}, and must be read in the usual way).
     *
     * @param client the admitted client, or null when the body is only drained after a refusal
     */
    private PendingBody listen(HttpServletRequest request, HttpServletResponse response, InferencePath call,
            SecurityContext security, @Nullable String client, long reserved) throws IOException {
        AsyncContext async = request.startAsync(request, response);
        async.setTimeout(0); // the sweeper bounds the body, the gateway's own timeouts bound the answer
        PendingBody body = new PendingBody(this, request, response, call, security, client, async,
                request.getContentLengthLong(), reserved);
        async.addListener(body);
        try {
            request.getInputStream().setReadListener(body);
        }
        catch (UnsupportedOperationException ex) {
            return body;
        }
        body.listening(true);
        pending.add(body);
        return body;
    }

    private void sweep() {
        long now = System.nanoTime();
        for (PendingBody body : pending) {
            try {
                body.sweep(now);
            }
            catch (RuntimeException ex) {
                log.warn("Could not check a request body's progress: {}", ex.toString());
            }
        }
    }

    /**
     * Audits the refusal and answers it in the protocol's shape at once (503 instead, when it could not be audited), on
     * a connection that is closed afterwards.
     */
    void refuse(Caller caller, HttpServletRequest request, HttpServletResponse response, InferencePath call,
            int status, String reason, @Nullable Long received) throws IOException {
        refusals.refused(caller.sourceIp(), status, reason);
        boolean audited = audit(caller, call, status, Outcome.ofStatus(status), received, reason);
        int sent = audited ? status : 503;
        if (sent == 429 || sent == 503) {
            response.setHeader("Retry-After", "1");
        }
        response.setHeader("Connection", "close");
        errors.write(request, response, HttpStatus.valueOf(sent), audited ? reason : UNAUDITED);
        response.flushBuffer();
    }

    /** Who made a request, taken while the request is live: the container recycles it once it has ended. */
    record Caller(@Nullable String sourceIp, @Nullable String requestId, @Nullable String purpose,
            SecurityContext security) {

        static Caller of(HttpServletRequest request, SecurityContext security) {
            return new Caller(request.getRemoteAddr(), request.getHeader("X-Request-Id"),
                    request.getHeader("X-Purpose-Of-Use"), security);
        }
    }

    boolean audit(Caller caller, InferencePath call, @Nullable Integer status, Outcome outcome,
            @Nullable Long received, String reason) {
        SecurityContext outer = SecurityContextHolder.getContext();
        Actor actor;
        try {
            SecurityContextHolder.setContext(caller.security());
            actor = callers.current();
        }
        finally {
            SecurityContextHolder.setContext(outer);
        }
        return gateway.auditUnserved(call, actor, caller.sourceIp(), caller.requestId(), caller.purpose(), status,
                outcome, received, reason);
    }

    /** Something escaped the gateway itself: a 500 if nothing was sent yet; the gateway has audited its own outcome. */
    void failed(HttpServletRequest request, DeliveryWatch response, Exception ex) {
        if (response.broken()) {
            return;
        }
        log.error("Inference request {} failed", request.getRequestURI(), ex);
        if (!response.isCommitted()) {
            try {
                response.reset();
                errors.write(request, response, HttpStatus.INTERNAL_SERVER_ERROR, "The request failed in the portal.");
            }
            catch (IOException | IllegalStateException ignored) {
                // nothing more can be sent
            }
        }
    }

    void ended(PendingBody body, @Nullable String client, long reserved) {
        pending.remove(body);
        limits.free(reserved);
        if (client != null) {
            limits.release(client);
        }
    }

    ClientLimits limits() {
        return limits;
    }

    long maxBody() {
        return maxBody;
    }

    long bodyGraceNanos() {
        return bodyGraceNanos;
    }

    long minBodyRate() {
        return minBodyRate;
    }

    @Override
    public void destroy() {
        sweeper.shutdownNow();
    }
}
