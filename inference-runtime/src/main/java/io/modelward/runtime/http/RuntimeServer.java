package io.modelward.runtime.http;

import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.BadOutputException;
import io.modelward.runtime.engine.InferenceException;
import io.modelward.runtime.engine.OverloadedException;
import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.metrics.Metrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runtime's HTTP face, on Netty (epoll on Linux): KServe V2 and V1, the image endpoint, health and metrics.
 * Routing, the internal token and the body limits are decided from a request's headers on its connection's event
 * loop ({@link HttpConnection}); the model's answer is written from there too. Every error is
 * {@code {"error": "..."}}: 400 bad input, 401 no internal token, 404 unknown model or path, 405 wrong method,
 * 413 body too large, 503 overloaded or not ready, 500 model failure, 502 NaN or infinity from a model that may not
 * answer so.
 */
public final class RuntimeServer implements AutoCloseable {

    static final Logger log = LoggerFactory.getLogger(RuntimeServer.class);
    private static final Pattern REQUEST_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");

    private final Metrics metrics;
    private final Routes routes;
    private final RequestBodies bodies;
    private final MultiThreadIoEventLoopGroup group;
    private final ServerBootstrap bootstrap;
    private final InetSocketAddress address;
    private final boolean epoll;
    private volatile @Nullable Channel channel;
    private final ExecutorService offload = Executors.newVirtualThreadPerTaskExecutor();
    private final AtomicInteger open = new AtomicInteger();
    private volatile @Nullable ServedModel model;


    /** A server for this address; it listens from {@link #start}. */
    public RuntimeServer(String host, int port, Metrics metrics, @Nullable String token, long maxBodyBytes,
            long maxInflightBytes) {
        this.metrics = metrics;
        this.routes = new Routes(this::model, metrics, token);
        this.bodies = new RequestBodies(maxBodyBytes, maxInflightBytes);
        this.epoll = Epoll.isAvailable();
        this.address = new InetSocketAddress(host, port);
        int threads = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors() / 2));
        this.group = new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory("runtime-http", true),
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> type = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        HttpDecoderConfig decoder = new HttpDecoderConfig().setMaxInitialLineLength(8192).setMaxHeaderSize(16384)
                .setMaxChunkSize(1 << 20);
        this.bootstrap = new ServerBootstrap().group(group).channel(type)
                .option(ChannelOption.SO_BACKLOG, 1024)
                // without TCP_NODELAY, Nagle's algorithm and delayed ACKs add ~40 ms to every response
                .childOption(ChannelOption.TCP_NODELAY, true)
                // large tensors arrive in few reads
                .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator(512, 16 * 1024, 1 << 20))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(decoder),
                                new HttpConnection(RuntimeServer.this, bodies, offload));
                    }
                });
    }

    /**
     * Listens; until {@link #serve} is called, health answers, readiness is false and model calls get 503.
     *
     * @throws java.io.IOException when the address cannot be bound
     */
    public void start() throws java.io.IOException {
        try {
            channel = bootstrap.bind(address).syncUninterruptibly().channel();
        }
        catch (RuntimeException ex) {
            group.shutdownGracefully(0, 0, TimeUnit.SECONDS);
            throw new java.io.IOException("Cannot listen on " + address + ": " + ex.getMessage(), ex);
        }
        log.debug("HTTP on {} with {} event loop(s)", epoll ? "epoll" : "NIO", group.executorCount());
    }

    public int port() {
        Channel bound = channel;
        if (bound == null) {
            throw new IllegalStateException("The server has not started.");
        }
        return ((InetSocketAddress) bound.localAddress()).getPort();
    }

    /** Serves this model from now on; until then readiness is false and model calls get 503. */
    public void serve(ServedModel served) {
        this.model = served;
    }

    public void notReady() {
        this.model = null;
    }

    private @Nullable ServedModel model() {
        return model;
    }

    /** The answer to a failure, as {@code {"error": ...}} with its status. */
    Response failure(@Nullable Throwable failure, Exchange x) {
        Throwable ex = failure;
        while ((ex instanceof CompletionException || ex instanceof ExecutionException) && ex.getCause() != null) {
            ex = ex.getCause();
        }
        return switch (ex) {
            case HttpError e -> Response.error(e.status, e.getMessage());
            case BadInputException e -> Response.error(400, e.getMessage());
            case OverloadedException e -> {
                x.headers.set("Retry-After", "1");
                yield Response.error(503, e.getMessage());
            }
            case BadOutputException e -> {
                log.warn("[{}] {}", x.requestId, e.getMessage());
                yield Response.error(502, e.getMessage());
            }
            case InferenceException e -> {
                log.warn("[{}] {}", x.requestId, e.getMessage());
                yield Response.error(500, e.getMessage());
            }
            case null -> Response.error(500, "Internal error (request " + x.requestId + ").");
            default -> {
                log.error("[{}] Unexpected failure on {} {}", x.requestId, x.request.method(), x.request.uri(), ex);
                yield Response.error(500, "Internal error (request " + x.requestId + ").");
            }
        };
    }

    /** The endpoint a request asks for (see {@link Routes}). */
    Routes.Route route(Exchange x) {
        return routes.route(x);
    }

    /** An exchange begins: counted among the model requests in flight unless it is a probe or a scrape. */
    void opened(Exchange x) {
        open.incrementAndGet();
        if (x.counted) {
            metrics.begin();
        }
    }

    /** An exchange ends (answered, or its connection gone): its budget is returned and it is measured. */
    void closed(Exchange x) {
        if (!x.finish()) {
            return;
        }
        open.decrementAndGet();
        bodies.release(x.permits);
        long nanos = System.nanoTime() - x.started;
        metrics.request(x.endpoint, x.status, nanos);
        if (x.counted) {
            metrics.end();
        }
        if (log.isDebugEnabled()) {
            log.debug("[{}] {} {} -> {} in {} ms", x.requestId, x.request.method(), x.request.uri(), x.status,
                    nanos / 1_000_000);
        }
    }

    static String requestId(@Nullable String given) {
        return given != null && REQUEST_ID.matcher(given).matches() ? given : UUID.randomUUID().toString();
    }

    /**
     * Stops listening, lets the exchanges in flight finish for up to 5 seconds (the engine drains its queue before
     * this is called), then closes the connections.
     */
    @Override
    public void close() {
        Channel bound = channel;
        if (bound != null) {
            bound.close().syncUninterruptibly();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (open.get() > 0 && System.nanoTime() < deadline) {
            try {
                Thread.sleep(10);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        offload.close();
    }
}
