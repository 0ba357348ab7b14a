package io.modelward.portal.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.modelward.governance.AuditVerifier;
import io.modelward.portal.TestData;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.ActiveProfiles;

/**
 * The gateway on a real Tomcat with only 8 request threads, against clients that send their bodies slowly, give up
 * halfway or hang up before the answer: slow bodies hold no thread, so others are answered meanwhile; bodies below
 * the minimum rate get 408; a client over its limit of requests in flight gets 429; and every such request has one
 * audit row saying what the client really got. Headers trickled past their timeout lose their connection (the
 * connector's guard, on its own in GuardedEndpointTest).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "server.tomcat.threads.max=8", "modelward.gateway.intake.body-grace=2s",
        "modelward.gateway.intake.min-body-rate=1B", "modelward.gateway.intake.max-requests-per-client=20",
        "modelward.connections.header-timeout=3s" })
@ActiveProfiles("test")
class SlowClientsTest {

    static final Path DIGITS = GatewayTest.DIGITS;
    static final String PIXELS = "[" + "0.5,".repeat(63) + "0.5]";

    @LocalServerPort
    int port;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    AuditVerifier verifier;

    static String model;
    final List<Socket> sockets = new ArrayList<>();
    final ScheduledExecutorService trickle = Executors.newSingleThreadScheduledExecutor();

    @BeforeEach
    void deployDigitsOnce() throws Exception {
        if (model != null) {
            return;
        }
        String name = TestData.unique("slow");
        send("alice", "POST", "/api/models", "application/json", """
                {"name": "%s", "displayName": "Digits", "task": "IMAGE_CLASSIFICATION"}""".formatted(name), 201);
        send("alice", "POST", "/api/models/" + name + "/versions", "application/json", """
                {"version": "1.0", "format": "TORCHSCRIPT", "license": "MIT", "provenance": {"sourceType": "UPLOAD"},
                 "input": {"imageSize": 8, "resizeTo": 8, "grayscale": true, "mean": [0], "std": [1]}}""", 201);
        for (String[] file : new String[][] { { "model", "digits.pt" }, { "labels", "synset.txt" } }) {
            send("alice", "PUT", "/api/models/" + name + "/versions/1.0/artifacts/" + file[0] + "?fileName=" + file[1],
                    "application/octet-stream", Files.readAllBytes(DIGITS.resolve(file[1])), 201);
        }
        send("alice", "POST", "/api/models/" + name + "/versions/1.0/submit", "application/json", "", 200);
        send("bob", "POST", "/api/models/" + name + "/versions/1.0/approve", "application/json", "", 200);
        send("alice", "POST", "/api/deployments", "application/json", """
                {"name": "%s", "model": "%s", "version": "1.0", "target": "LOCAL"}""".formatted(name, name), 201);
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).until(() ->
                send("robot", "GET", "/v2/models/" + name + "/ready", null, "", -1).body().contains("\"ready\":true"));
        model = name;
    }

    @AfterEach
    void hangUp() throws IOException {
        trickle.shutdownNow();
        for (Socket socket : sockets) {
            socket.close();
        }
    }

    @Test
    void slowBodiesHoldNoRequestThreadSoOtherCallsAreAnsweredMeanwhile() throws Exception {
        // 40 clients, each on its own address, trickling a byte every 300 ms: above the minimum rate, never done
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            Socket socket = open("127.0.1." + (i + 1));
            start(socket, model, 10_000, "slow-" + i);
            slow.add(socket);
        }
        trickle.scheduleAtFixedRate(() -> slow.forEach(socket -> write(socket, "0")), 300, 300, TimeUnit.MILLISECONDS);

        for (int i = 0; i < 5; i++) {
            HttpResponse<String> answer = infer("fast-" + UUID.randomUUID());
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        }
        for (Socket socket : slow) {
            int waiting = socket.getInputStream().available();
            assertThat(waiting).as("a slow client is still sending, unanswered: "
                    + new String(socket.getInputStream().readNBytes(waiting), StandardCharsets.UTF_8)).isZero();
        }
    }

    @Test
    void aBodyBelowTheMinimumRateGets408AndIsAuditedAsTheClientsError() throws Exception {
        String id = "slow-" + UUID.randomUUID();
        Socket socket = open("127.0.2.1");
        start(socket, model, 1_000, id);
        write(socket, "{");
        String answer = readAnswer(socket);
        assertThat(answer).startsWith("HTTP/1.1 408").contains("\"error\"").contains("arrived too slowly")
                .containsIgnoringCase("connection: close");
        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("http_status", 408).containsEntry("outcome", "CLIENT_ERROR")
                .containsEntry("actor_subject", "robot").containsEntry("model", model).containsEntry("input_size", 1L);
        assertThat((String) row.get("output_summary")).contains("arrived too slowly: 1 of 1000 bytes");
    }

    @Test
    void aClientThatGoesAwayMidBodyIsRecordedAsGoneAndTheRuntimeIsNotBlamed() throws Exception {
        String id = "gone-" + UUID.randomUUID();
        Socket socket = open("127.0.2.2");
        start(socket, model, 1_000, id);
        write(socket, "{\"inputs\": [");
        socket.setSoLinger(true, 0);
        socket.close();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rows(id).size() == 1);
        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("outcome", "CLIENT_ERROR").containsEntry("input_size", 12L);
        assertThat(row.get("http_status")).as("nothing was sent").isNull();
        assertThat((String) row.get("output_summary")).contains("went away before an answer")
                .contains("after 12 of 1000 body bytes").doesNotContain("runtime");
    }

    @Test
    void aClientOverItsLimitOfRequestsInFlightGets429WithRetryAfterAndIsAudited() throws Exception {
        // one address opens trickling requests until one is refused: the 21st, or later if some were still arriving
        List<Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
        trickle.scheduleAtFixedRate(() -> held.forEach(socket -> write(socket, "0")), 300, 300, TimeUnit.MILLISECONDS);
        String refusedId = null;
        String answer = "";
        for (int i = 0; i < 60 && refusedId == null; i++) {
            String id = "hold-" + UUID.randomUUID();
            Socket socket = open("127.0.3.1");
            start(socket, model, 10_000, id);
            write(socket, "0");
            held.add(socket);
            socket.setSoTimeout(1_000);
            try {
                answer = readAnswer(socket);
                held.remove(socket);
                refusedId = id;
            }
            catch (java.net.SocketTimeoutException admitted) {
                // no answer: it holds its place
            }
        }
        assertThat(held.size()).as("requests admitted before the refusal").isGreaterThanOrEqualTo(20);
        assertThat(answer).startsWith("HTTP/1.1 429").containsIgnoringCase("retry-after: 1")
                .containsIgnoringCase("connection: close")
                .contains("Too many inference requests in flight from 127.0.3.1");
        assertThat(row(refusedId)).containsEntry("http_status", 429).containsEntry("actor_subject", "robot");

        HttpResponse<String> other = infer("other-" + UUID.randomUUID());
        assertThat(other.statusCode()).as("another client is served: " + other.body()).isEqualTo(200);
    }

    @Test
    void anAnswerThatCouldNotBeDeliveredIsRecordedBesideTheAnswer() throws Exception {
        String id = "hangup-" + UUID.randomUUID();
        String body = "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], \"datatype\": \"FP32\", "
                + "\"data\": " + PIXELS + "}]}";
        Socket socket = open("127.0.2.3");
        start(socket, model, body.getBytes(StandardCharsets.UTF_8).length, id);
        write(socket, body);
        socket.setSoLinger(true, 0);
        socket.close(); // a reset, before the model has answered
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> rows(id).size() == 2);
        List<Map<String, Object>> rows = rows(id);
        assertThat(rows).anySatisfy(row -> assertThat(row).containsEntry("http_status", 200)
                .containsEntry("outcome", "OK"));
        assertThat(rows).anySatisfy(row -> {
            assertThat(row).containsEntry("http_status", 200).containsEntry("outcome", "CLIENT_ERROR");
            assertThat((String) row.get("output_summary")).contains("connection broke while the answer");
        });
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
    }

    @Test
    void headersTrickledPastTheHeaderTimeoutLoseTheirConnection() throws Exception {
        Socket socket = open("127.0.4.1");
        write(socket, "POST /v2/models/" + model + "/infer HTTP/1.1\r\nHost: localhost\r\nX-Slow: ");
        trickle.scheduleAtFixedRate(() -> write(socket, "a"), 500, 500, TimeUnit.MILLISECONDS);
        socket.setSoTimeout(60_000);
        assertThat(endOfStream(socket)).as("the portal closed the connection").isTrue();

        HttpResponse<String> other = infer("after-slow-headers-" + UUID.randomUUID());
        assertThat(other.statusCode()).as(other.body()).isEqualTo(200);
    }

    /** Whether the server closed the connection (end of stream, or a reset) before the socket's timeout. */
    private static boolean endOfStream(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() == -1;
        }
        catch (java.net.SocketException reset) {
            return true;
        }
    }

    private Socket open(String address) throws IOException {
        Socket socket = new Socket();
        socket.bind(new InetSocketAddress(InetAddress.getByName(address), 0));
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 10_000);
        socket.setSoTimeout(60_000);
        sockets.add(socket);
        return socket;
    }

    /** Sends a V2 request's headers (as robot) and none of its body yet. */
    private void start(Socket socket, String name, int contentLength, String requestId) throws IOException {
        String headers = "POST /v2/models/" + name + "/infer HTTP/1.1\r\nHost: localhost\r\n"
                + "Authorization: Basic " + basic("robot") + "\r\nContent-Type: application/json\r\n"
                + "X-Request-Id: " + requestId + "\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n";
        OutputStream out = socket.getOutputStream();
        out.write(headers.getBytes(StandardCharsets.US_ASCII));
        out.flush();
    }

    private static void write(Socket socket, String text) {
        try {
            socket.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
        }
        catch (IOException ex) {
            // the test looks at what the server did
        }
    }

    /**
     * What the server answers: waits (the socket's timeout) for its first bytes, then takes what follows until the
     * connection is closed or quiet for two seconds.
     */
    private static String readAnswer(Socket socket) throws IOException {
        InputStream in = socket.getInputStream();
        java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n = in.read(buffer);
        while (n > 0) {
            answer.write(buffer, 0, n);
            socket.setSoTimeout(2_000);
            try {
                n = in.read(buffer);
            }
            catch (java.net.SocketTimeoutException quiet) {
                break;
            }
        }
        return answer.toString(StandardCharsets.UTF_8);
    }

    private HttpResponse<String> infer(String requestId) throws Exception {
        String body = "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], \"datatype\": \"FP32\", "
                + "\"data\": " + PIXELS + "}]}";
        HttpClient client = HttpClient.newBuilder().localAddress(InetAddress.getByName("127.0.0.1")).build();
        return client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/v2/models/" + model
                        + "/infer")).timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + basic("robot"))
                .header("X-Request-Id", requestId).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> send(String user, String method, String path, String type, Object body, int expected)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(60)).header("Authorization", "Basic " + basic(user));
        if (type != null) {
            request.header("Content-Type", type);
        }
        HttpRequest.BodyPublisher publisher = body instanceof byte[] bytes ? HttpRequest.BodyPublishers.ofByteArray(bytes)
                : HttpRequest.BodyPublishers.ofString((String) body);
        request.method(method, "GET".equals(method) ? HttpRequest.BodyPublishers.noBody() : publisher);
        HttpResponse<String> response = HttpClient.newHttpClient().send(request.build(),
                HttpResponse.BodyHandlers.ofString());
        if (expected > 0) {
            assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(expected);
        }
        return response;
    }

    private static String basic(String user) {
        return Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
    }

    private List<Map<String, Object>> rows(String requestId) {
        return jdbc.sql("SELECT * FROM audit_event WHERE request_id = ?").param(requestId).query().listOfRows();
    }

    private Map<String, Object> row(String requestId) {
        List<Map<String, Object>> rows = rows(requestId);
        assertThat(rows).as("audit rows of " + requestId).hasSize(1);
        return rows.getFirst();
    }
}
