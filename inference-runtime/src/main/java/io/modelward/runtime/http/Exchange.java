package io.modelward.runtime.http;

import java.util.Arrays;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import org.jspecify.annotations.Nullable;

/** One request and its answer as they pass through a connection: what it asks for, its body, how it ended. */
final class Exchange {

    private static final byte[] EMPTY = new byte[0];

    final HttpRequest request;
    final String requestId;
    final long started = System.nanoTime();
    /** Headers the answer carries besides its content type and length (Retry-After, WWW-Authenticate). */
    final HttpHeaders headers = new DefaultHttpHeaders();
    String endpoint = "other";
    boolean counted;
    Routes.@Nullable Route route;
    /** Why the request is refused before its body is used; its body is read and dropped first. */
    @Nullable RuntimeException refusal;
    /** Budget permits this body holds (see {@link RequestBodies}). */
    int permits;
    /** Body bytes dropped: a refused body, or one sent to an endpoint that takes none. */
    long dropped;
    /** The connection closes after the answer (the body was not read to its end, or the client asked). */
    boolean close;
    /** The answer has been sent (or the connection is gone); content still arriving is dropped. */
    boolean answered;
    int status = 500;
    private boolean finished;
    private byte @Nullable [] body;
    private int length;

    Exchange(HttpRequest request, String requestId) {
        this.request = request;
        this.requestId = requestId;
    }

    /** Room for a body of the declared length, or a growing buffer when none is declared. */
    void expectBody(long declared) {
        body = new byte[(int) Math.max(0, Math.min(declared >= 0 ? declared : 8192, Integer.MAX_VALUE - 8))];
    }

    boolean readsBody() {
        return body != null;
    }

    int length() {
        return length;
    }

    void append(io.netty.buffer.ByteBuf content) {
        int n = content.readableBytes();
        byte[] into = body;
        if (into == null) {
            throw new IllegalStateException("No body expected");
        }
        if (length + n > into.length) {
            into = Arrays.copyOf(into, (int) Math.min(Integer.MAX_VALUE - 8, Math.max(length + (long) n,
                    2L * into.length)));
            body = into;
        }
        content.readBytes(into, length, n);
        length += n;
    }

    /** Drops what was received of the body (it is refused). */
    void dropBody() {
        dropped += length;
        body = null;
        length = 0;
    }

    byte[] body() {
        byte[] b = body;
        if (b == null) {
            return EMPTY;
        }
        return length == b.length ? b : Arrays.copyOf(b, length);
    }

    /** Marks the end of the exchange once; false if it had ended already. */
    boolean finish() {
        if (finished) {
            return false;
        }
        finished = true;
        body = null;
        return true;
    }
}
