package io.modelward.portal.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.SocketChannel;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.coyote.AbstractProcessor;
import org.apache.coyote.Constants;
import org.apache.coyote.Request;
import org.apache.tomcat.util.net.NioChannel;
import org.apache.tomcat.util.net.NioEndpoint;
import org.apache.tomcat.util.net.SocketEvent;
import org.apache.tomcat.util.net.SocketWrapperBase;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tomcat's NIO endpoint with two guards that Tomcat lacks: a client address may hold at most {@code maxPerClient}
 * connections (more are closed as they are accepted), and a request's line and headers must arrive within
 * {@code headerTimeout} of their first byte (Tomcat's own timeout counts from the last byte, so a trickle keeps a
 * connection forever). A connection past that is closed through Tomcat's own error path, as its read timeout would.
 * Neither holds a thread: Tomcat parses headers without one, and a sweeper looks at the open connections each second.
 */
final class GuardedEndpoint extends NioEndpoint {

    private static final Logger log = LoggerFactory.getLogger(GuardedEndpoint.class);
    private static final long LOG_INTERVAL = TimeUnit.SECONDS.toNanos(10);

    private final Map<SocketChannel, InetAddress> addresses = new ConcurrentHashMap<>();
    private final Map<InetAddress, AtomicInteger> perClient = new ConcurrentHashMap<>();
    /** Connections seen overdue by the last sweep, with the start of their request: closed if still so at the next. */
    private final Map<SocketWrapperBase<NioChannel>, Long> overdue = new ConcurrentHashMap<>();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();
    private volatile long nextLog = System.nanoTime();
    private volatile int maxPerClient;
    private volatile long headerTimeoutNanos = Long.MAX_VALUE;
    private @Nullable ScheduledExecutorService sweeper;

    GuardedEndpoint() {
        connections = new Tracked();
    }

    void guard(ConnectionProperties settings) {
        this.maxPerClient = settings.maxPerClient();
        this.headerTimeoutNanos = settings.headerTimeout().toNanos();
    }

    @Override
    public void startInternal() throws Exception {
        super.startInternal();
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("connection-guard").daemon()
                .factory());
        sweeper.scheduleWithFixedDelay(this::sweep, 1, 1, TimeUnit.SECONDS);
    }

    @Override
    public void stopInternal() {
        if (sweeper != null) {
            sweeper.shutdownNow();
        }
        super.stopInternal();
    }

    @Override
    protected boolean setSocketOptions(SocketChannel socket) {
        InetAddress client = address(socket);
        int limit = maxPerClient;
        if (client != null && limit > 0) {
            AtomicInteger open = perClient.get(client);
            if (open != null && open.get() >= limit) {
                note(refused, "refused connections of clients at their limit of " + limit);
                destroySocket(socket); // counted down and closed here: Tomcat closes only sockets it has registered
                return false;
            }
        }
        return super.setSocketOptions(socket);
    }

    /** Closes connections whose request line and headers have been arriving for longer than the header timeout. */
    void sweep() {
        long now = System.nanoTime();
        Map<SocketWrapperBase<NioChannel>, Long> seen = new java.util.HashMap<>();
        for (SocketWrapperBase<NioChannel> connection : connections.values()) {
            Long started = headersSince(connection);
            if (started != null && now - started > headerTimeoutNanos) {
                if (started.equals(overdue.get(connection))) {
                    note(timedOut, "connections closed whose headers took longer than "
                            + TimeUnit.NANOSECONDS.toSeconds(headerTimeoutNanos) + " s");
                    processSocket(connection, SocketEvent.ERROR, true);
                }
                else {
                    seen.put(connection, started);
                }
            }
        }
        overdue.clear();
        overdue.putAll(seen);
    }

    /**
     * When the request now arriving on a connection began, if it is still in its line or headers: its processor stays
     * with the connection, not asynchronous, between two reads (no thread serves it).
     */
    private static @Nullable Long headersSince(SocketWrapperBase<NioChannel> connection) {
        if (!(connection.getCurrentProcessor() instanceof AbstractProcessor processor) || processor.isAsync()
                || processor.isUpgrade()) {
            return null;
        }
        Request request = processor.getRequest();
        long started = request.getStartTimeNanos();
        return started != -1 && request.getRequestProcessor().getStage() == Constants.STAGE_ENDED ? started : null;
    }

    private void note(AtomicLong counter, String what) {
        counter.incrementAndGet();
        long now = System.nanoTime();
        long next = nextLog;
        if (now - next >= 0) {
            nextLog = now + LOG_INTERVAL;
            log.warn("Connection guard: {} refused connections of clients at their limit, {} connections closed for "
                    + "slow headers (totals; the latest: {})", refused.get(), timedOut.get(), what);
        }
    }

    int openFrom(InetAddress client) {
        AtomicInteger open = perClient.get(client);
        return open == null ? 0 : open.get();
    }

    private static @Nullable InetAddress address(SocketChannel socket) {
        try {
            return socket.getRemoteAddress() instanceof InetSocketAddress remote ? remote.getAddress() : null;
        }
        catch (IOException ex) {
            return null;
        }
    }

    /** The endpoint's map of open connections, counting them per client address as Tomcat adds and removes them. */
    private final class Tracked extends ConcurrentHashMap<SocketChannel, SocketWrapperBase<NioChannel>> {

        @Override
        public SocketWrapperBase<NioChannel> put(SocketChannel socket, SocketWrapperBase<NioChannel> connection) {
            InetAddress client = address(socket);
            if (client != null && addresses.put(socket, client) == null) {
                perClient.computeIfAbsent(client, key -> new AtomicInteger()).incrementAndGet();
            }
            return super.put(socket, connection);
        }

        @Override
        public SocketWrapperBase<NioChannel> remove(Object socket) {
            InetAddress client = addresses.remove(socket);
            if (client != null) {
                perClient.computeIfPresent(client, (key, open) -> open.decrementAndGet() <= 0 ? null : open);
            }
            overdue.remove(get(socket));
            return super.remove(socket);
        }
    }
}
