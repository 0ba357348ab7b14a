package io.modelward.portal.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

/**
 * Calls to a runtime replica over plain blocking connections, which the JDK keeps alive and reuses. On a virtual
 * thread per request this costs far less CPU per call than the asynchronous {@code HttpClient} (a JFR profile of the
 * gateway showed that client as its largest cost), and blocks only the request's own thread.
 */
final class RuntimeCalls {

    static {
        // the JDK keeps 5 idle connections per runtime by default; a busy gateway wants more
        if (System.getProperty("http.maxConnections") == null) {
            System.setProperty("http.maxConnections", "256");
        }
    }

    /** Bodies up to this size are sent with their headers in one write (most JSON tensors and small images). */
    static final long SENT_WHOLE = 64 * 1024;

    private final int readTimeoutMillis;
    private final long maxResponseBytes;

    RuntimeCalls(Duration timeout, long maxResponseBytes) {
        this.readTimeoutMillis = (int) Math.min(Integer.MAX_VALUE, timeout.toMillis());
        this.maxResponseBytes = maxResponseBytes;
    }

    /** A runtime's answer. */
    record Reply(int status, @Nullable String contentType, byte[] body) {
    }

    /**
     * Streams the body to the runtime and reads its answer; null when the answer is over the size limit. Throws
     * {@link java.net.SocketTimeoutException} when the runtime is too slow and {@link java.net.ConnectException} when
     * it cannot be reached.
     */
    @Nullable Reply post(URI uri, String token, String requestId, @Nullable String contentType,
            @Nullable String binaryHeaderLength, long contentLength, InputStream body) throws IOException {
        HttpURLConnection connection = open(uri, token);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setRequestProperty("X-Request-Id", requestId);
        connection.setRequestProperty("Content-Type", contentType == null ? "application/octet-stream" : contentType);
        if (binaryHeaderLength != null) {
            connection.setRequestProperty("Inference-Header-Content-Length", binaryHeaderLength);
        }
        if (contentLength >= 0 && contentLength <= SENT_WHOLE) {
            // no streaming mode: the connection buffers the body and sends it with the headers in one write, as the
            // JDK's connections do not set TCP_NODELAY and a body sent after its headers waits for their ACK
        }
        else if (contentLength >= 0) {
            connection.setFixedLengthStreamingMode(contentLength);
        }
        else {
            connection.setChunkedStreamingMode(64 * 1024);
        }
        try (OutputStream out = connection.getOutputStream()) {
            body.transferTo(out);
        }
        return read(connection);
    }

    /** A GET of the runtime (metadata); null when the answer is over the size limit. */
    @Nullable Reply get(URI uri, String token) throws IOException {
        return read(open(uri, token));
    }

    private HttpURLConnection open(URI uri, String token) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(readTimeoutMillis);
        connection.setRequestProperty("Authorization", "Bearer " + token);
        return connection;
    }

    private @Nullable Reply read(HttpURLConnection connection) throws IOException {
        int status = connection.getResponseCode();
        byte[] answer;
        try (InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream()) {
            answer = in == null ? new byte[0] : in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxResponseBytes + 1));
        }
        if (answer.length > maxResponseBytes) {
            connection.disconnect();
            return null;
        }
        return new Reply(status, connection.getContentType(), answer);
    }
}
