package io.modelward.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The runtime's HTTP/1.1 connections as a client sees them on the wire: pipelining, chunked bodies, 100-continue,
 * malformed requests, and refused bodies that leave the connection usable.
 */
class HttpConnectionTest {

    private static final String INFER = "{\"inputs\": [" + V2ProtocolTest.GOOD_INPUT + "]}";
    private static TestRuntime runtime;

    @BeforeAll
    static void load() throws Exception {
        runtime = TestRuntime.digits();
    }

    /** One answer read off the connection. */
    private record Answer(int status, Map<String, String> headers, String body) {

        String error() {
            return JsonMapper.builder().build().readTree(body).path("error").asString();
        }
    }

    private static Socket connect() throws IOException {
        Socket socket = new Socket("127.0.0.1", runtime.uri("/").getPort());
        socket.setSoTimeout(10_000);
        return socket;
    }

    private static String post(String path, String id, String body) {
        return "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestRuntime.TOKEN
                + "\r\nX-Request-Id: " + id + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    private static String get(String path, String id) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TestRuntime.TOKEN
                + "\r\nX-Request-Id: " + id + "\r\n\r\n";
    }

    private static void write(Socket socket, String text) throws IOException {
        write(socket, text.getBytes(StandardCharsets.UTF_8));
    }

    private static void write(Socket socket, byte[] bytes) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(bytes);
        out.flush();
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1 && b != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        if (b == -1 && line.size() == 0) {
            throw new IOException("The connection closed");
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    private static Answer read(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        String header;
        while (!(header = line(in)).isEmpty()) {
            int colon = header.indexOf(':');
            headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, body);
    }

    @Test
    void answersPipelinedRequestsInTheOrderTheyWereSent() throws Exception {
        try (Socket socket = connect()) {
            // the first one goes to the model and takes longest: the others must not overtake it
            write(socket, post("/v2/models/digits/infer", "first", INFER) + get("/v2/health/live", "second")
                    + get("/v2/models/digits", "third") + post("/v2/models/digits/infer", "fourth", INFER));
            String[] ids = { "first", "second", "third", "fourth" };
            for (String id : ids) {
                Answer answer = read(socket);
                assertThat(answer.status()).isEqualTo(200);
                assertThat(answer.headers()).containsEntry("x-request-id", id);
            }
        }
    }

    @Test
    void takesAChunkedBodyWithinTheLimit() throws Exception {
        try (Socket socket = connect()) {
            byte[] json = INFER.getBytes(StandardCharsets.UTF_8);
            int half = json.length / 2;
            write(socket, "POST /v2/models/digits/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestRuntime.TOKEN + "\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + Integer.toHexString(half) + "\r\n" + INFER.substring(0, half) + "\r\n"
                    + Integer.toHexString(json.length - half) + "\r\n" + INFER.substring(half) + "\r\n0\r\n\r\n");
            Answer answer = read(socket);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("\"output0\"");
        }
    }

    @Test
    void refusesAChunkedBodyAboveTheLimitWith413() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "POST /v1/models/digits:classify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestRuntime.TOKEN + "\r\nContent-Type: image/png\r\nTransfer-Encoding: chunked\r\n\r\n");
            byte[] chunk = new byte[256 * 1024];
            for (int i = 0; i < 6; i++) { // 1.5 MiB against a limit of 1 MiB
                write(socket, (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                write(socket, chunk);
                write(socket, "\r\n");
            }
            write(socket, "0\r\n\r\n");
            Answer answer = read(socket);
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.error()).contains("larger than 1 MiB");
        }
    }

    @Test
    void refusesARequestWithoutTheTokenAndKeepsTheConnectionForTheNext() throws Exception {
        try (Socket socket = connect()) {
            String body = "x".repeat(100_000);
            write(socket, "POST /v2/models/digits/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: "
                    + body.length() + "\r\n\r\n" + body);
            Answer refused = read(socket);
            assertThat(refused.status()).isEqualTo(401);
            assertThat(refused.headers().get("www-authenticate")).startsWith("Bearer");
            assertThat(refused.error()).contains("requires its internal token");
            // its body was read and dropped, so the same connection serves the next request
            write(socket, post("/v2/models/digits/infer", "after", INFER));
            Answer next = read(socket);
            assertThat(next.status()).isEqualTo(200);
            assertThat(next.headers()).containsEntry("x-request-id", "after");
        }
    }

    @Test
    void answersMalformedHttpWith400() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "POST /v2/models/digits/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: twelve\r\n\r\n");
            Answer answer = read(socket);
            assertThat(answer.status()).isEqualTo(400);
            assertThat(answer.error()).startsWith("Malformed HTTP request");
            assertThat(answer.headers()).containsEntry("connection", "close");
        }
    }

    @Test
    void sendsContinueBeforeTheBodyWhenTheClientAsks() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "POST /v2/models/digits/infer HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestRuntime.TOKEN + "\r\nExpect: 100-continue\r\nContent-Length: " + INFER.length() + "\r\n\r\n");
            assertThat(read(socket).status()).isEqualTo(100);
            write(socket, INFER);
            assertThat(read(socket).status()).isEqualTo(200);
        }
    }

    @Test
    void refusesAnOversizedBodyBeforeItIsSentWhenTheClientWaitsForContinue() throws Exception {
        try (Socket socket = connect()) {
            write(socket, "POST /v1/models/digits:classify HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer "
                    + TestRuntime.TOKEN + "\r\nExpect: 100-continue\r\nContent-Length: " + (2 * 1024 * 1024)
                    + "\r\n\r\n");
            Answer answer = read(socket);
            assertThat(answer.status()).isEqualTo(413);
            assertThat(answer.error()).contains("larger than 1 MiB");
            assertThat(answer.headers()).containsEntry("connection", "close");
        }
    }
}
