package io.modelward.runtime.http;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.EventExecutor;
import org.jspecify.annotations.Nullable;

/**
 * One client connection, on its event loop: takes a request's headers (routing, token, size limit and body budget
 * are decided then), gathers its body, and hands it to its endpoint. Cheap work (a binary tensor, a small JSON body)
 * is parsed right here and queued for the model without another thread; anything heavier (images, large JSON) is
 * parsed on a virtual thread. The answer is written from the event loop. A refused request's body is read and
 * dropped (up to {@link RequestBodies#SWALLOW_LIMIT}) before its refusal is sent, so the client reads the answer
 * instead of a reset. Answers go out in request order: a pipelined request waits until the one before is answered.
 */
final class HttpConnection extends ChannelInboundHandlerAdapter {

    private static final HttpResponseStatus[] STATUS = new HttpResponseStatus[600];

    private final RuntimeServer server;
    private final RequestBodies bodies;
    private final ExecutorService offload;
    /** The exchange whose request is being received. */
    private @Nullable Exchange receiving;
    /** An exchange is being served: requests pipelined behind it wait. */
    private @Nullable Exchange serving;
    private final ArrayDeque<Object> waiting = new ArrayDeque<>();

    HttpConnection(RuntimeServer server, RequestBodies bodies, ExecutorService offload) {
        this.server = server;
        this.bodies = bodies;
        this.offload = offload;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (serving != null && receiving == null) {
            waiting.add(msg);
            return;
        }
        try {
            if (msg instanceof HttpRequest request) {
                begin(ctx, request);
            }
            if (msg instanceof HttpContent content) {
                content(ctx, content);
            }
        }
        finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void begin(ChannelHandlerContext ctx, HttpRequest request) {
        Exchange x = new Exchange(request, RuntimeServer.requestId(request.headers().get("X-Request-Id")));
        receiving = x;
        long declared = -1;
        if (request.decoderResult().isFailure()) {
            x.refusal = new HttpError(400, "Malformed HTTP request: " + request.decoderResult().cause().getMessage());
            x.close = true;
        }
        else {
            try {
                x.route = server.route(x);
                declared = HttpUtil.getContentLength(request, -1L);
                if (x.route.readsBody()) {
                    x.permits = bodies.acquire(declared);
                    x.expectBody(declared);
                }
            }
            catch (NumberFormatException ex) {
                x.refusal = new HttpError(400, "Content-Length is not a number.");
                x.close = true;
            }
            catch (RuntimeException ex) {
                x.refusal = ex;
            }
        }
        server.opened(x);
        if (request.decoderResult().isFailure()) {
            // the decoder drops whatever follows a request it cannot read: answer now, then close
            answer(ctx, x, server.failure(x.refusal, x));
        }
        else if (HttpUtil.is100ContinueExpected(request)) {
            if (x.refusal == null) {
                ctx.writeAndFlush(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE,
                        Unpooled.EMPTY_BUFFER));
            }
            else {
                // the client waits before sending its body: answer now, and take no body on this connection
                x.close = true;
                answer(ctx, x, server.failure(x.refusal, x));
            }
        }
        else if (x.refusal != null && declared > RequestBodies.SWALLOW_LIMIT) {
            // far too large to be worth reading: answer and close
            x.close = true;
            answer(ctx, x, server.failure(x.refusal, x));
        }
    }

    private void content(ChannelHandlerContext ctx, HttpContent content) {
        Exchange x = receiving;
        if (x == null) {
            return;
        }
        boolean last = content instanceof LastHttpContent;
        if (!x.answered) {
            int n = content.content().readableBytes();
            if (x.refusal == null && x.readsBody()) {
                if (x.length() + (long) n > bodies.maxBodyBytes()) {
                    x.refusal = bodies.tooLarge();
                    x.dropBody();
                    x.dropped += n;
                }
                else if (n > 0) {
                    x.append(content.content());
                }
            }
            else {
                x.dropped += n;
            }
            if (!last && x.dropped > RequestBodies.SWALLOW_LIMIT) {
                x.close = true;
                answer(ctx, x, server.failure(x.refusal != null ? x.refusal : bodies.tooLarge(), x));
            }
        }
        if (last) {
            receiving = null;
            if (!x.answered) {
                dispatch(ctx, x);
            }
        }
    }

    private void dispatch(ChannelHandlerContext ctx, Exchange x) {
        serving = x;
        // read no further requests from this client until this one is answered: what is already read waits in order
        ctx.channel().config().setAutoRead(false);
        EventExecutor loop = ctx.executor();
        CompletableFuture<Response> answer;
        Routes.Route route = x.route;
        if (x.refusal != null || route == null) {
            answer = CompletableFuture.completedFuture(server.failure(x.refusal, x));
        }
        else {
            byte[] body = x.body();
            if (route.inline(body.length)) {
                answer = call(route, body, loop);
            }
            else {
                answer = CompletableFuture.supplyAsync(() -> call(route, body, loop), offload)
                        .thenCompose(f -> f);
            }
        }
        answer.whenComplete((response, failure) -> {
            Response r = response != null ? response : server.failure(failure, x);
            if (loop.inEventLoop()) {
                answer(ctx, x, r);
            }
            else {
                loop.execute(() -> answer(ctx, x, r));
            }
        });
    }

    private static CompletableFuture<Response> call(Routes.Route route, byte[] body, EventExecutor loop) {
        try {
            return route.call().apply(body, loop);
        }
        catch (RuntimeException ex) {
            return CompletableFuture.failedFuture(ex);
        }
    }

    private void answer(ChannelHandlerContext ctx, Exchange x, Response response) {
        if (x.answered) {
            return;
        }
        x.answered = true;
        x.status = response.status();
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status(response.status()),
                Unpooled.wrappedBuffer(response.body()));
        out.headers().set(x.headers);
        out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
        out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.body().length);
        out.headers().set("X-Request-Id", x.requestId);
        boolean keepAlive = !x.close && HttpUtil.isKeepAlive(x.request);
        HttpUtil.setKeepAlive(out, keepAlive);
        ctx.writeAndFlush(out).addListener((ChannelFutureListener) written -> {
            server.closed(x);
            if (!keepAlive || !written.isSuccess()) {
                written.channel().close();
                return;
            }
            if (serving == x) {
                serving = null;
                while (serving == null && !waiting.isEmpty()) {
                    channelRead(ctx, waiting.poll());
                }
                if (serving == null) {
                    ctx.channel().config().setAutoRead(true);
                }
            }
        });
    }

    private static HttpResponseStatus status(int code) {
        HttpResponseStatus s = STATUS[code];
        if (s == null) {
            s = HttpResponseStatus.valueOf(code);
            STATUS[code] = s;
        }
        return s;
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        Exchange x = receiving;
        receiving = null;
        if (x != null) {
            x.answered = true;
            server.closed(x);
        }
        Object msg;
        while ((msg = waiting.poll()) != null) {
            ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        RuntimeServer.log.debug("Connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
