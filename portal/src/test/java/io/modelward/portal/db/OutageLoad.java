package io.modelward.portal.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A few threads calling the portal over HTTP while its database goes away and comes back: the inference protocols
 * (V2 and V1, on a model that is not deployed, so every answer is audited without a runtime) and the JSON API. Each
 * call is kept with the phase it started and ended in.
 */
final class OutageLoad implements AutoCloseable {

    static final int UP = 0;
    static final int DOWN = 1;
    static final int BACK = 2;

    /** One call: what was asked, in which phases and when ({@link System#nanoTime()}), and what came back. */
    record Call(String kind, String requestId, int startedIn, int endedIn, long startedAt, long endedAt, int status,
            String contentType, String body) {

        boolean whollyWhileDown() {
            return startedIn == DOWN && endedIn == DOWN;
        }

        boolean within(long from, long until) {
            return startedAt >= from && endedAt <= until;
        }

        boolean inference() {
            return !kind.equals("api");
        }
    }

    final AtomicInteger phase = new AtomicInteger(UP);
    final ConcurrentLinkedQueue<Call> calls = new ConcurrentLinkedQueue<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String base;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean running = true;

    OutageLoad(int port) {
        this.base = "http://localhost:" + port;
        for (String kind : List.of("v2", "v1", "api")) {
            Thread thread = Thread.ofPlatform().name("load-" + kind).unstarted(() -> loop(kind));
            threads.add(thread);
            thread.start();
        }
    }

    static String basic(String user) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + user + "-pw").getBytes(StandardCharsets.UTF_8));
    }

    private void loop(String kind) {
        while (running) {
            String id = kind + "-" + UUID.randomUUID();
            int startedIn = phase.get();
            long startedAt = System.nanoTime();
            HttpRequest request = switch (kind) {
                case "v2" -> HttpRequest.newBuilder(URI.create(base + "/v2/models/not-deployed/infer"))
                        .header("Authorization", basic("robot")).header("X-Request-Id", id)
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                        .build();
                case "v1" -> HttpRequest.newBuilder(URI.create(base + "/v1/models/not-deployed:predict"))
                        .header("Authorization", basic("robot")).header("X-Request-Id", id)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"instances\": [[1]]}")).build();
                default -> HttpRequest.newBuilder(URI.create(base + "/api/models")).header("Authorization",
                        basic("alice")).GET().build();
            };
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                calls.add(new Call(kind, id, startedIn, phase.get(), startedAt, System.nanoTime(), response.statusCode(),
                        response.headers().firstValue("Content-Type").orElse(""), response.body()));
            }
            catch (java.io.IOException ex) {
                calls.add(new Call(kind, id, startedIn, phase.get(), startedAt, System.nanoTime(), -1, "",
                        ex.toString()));
            }
            catch (InterruptedException ex) {
                return;
            }
        }
    }

    long count(Predicate<Call> which) {
        return calls.stream().filter(which).count();
    }

    /**
     * What the tests assert of every outage: nothing failed with 500 (or any status but 503 from the server), every
     * call made wholly while the database was away was refused with 503 in its protocol's shape, every inference
     * answered was audited, and none refused while the database was away was (nothing is in the trail for it).
     */
    void assertRefusedCleanlyAndAudited(JdbcClient jdbc) {
        assertRefusedCleanlyAndAudited(jdbc, Call::whollyWhileDown);
    }

    /** The same, where the calls made wholly while the database was away are those {@code down} picks. */
    void assertRefusedCleanlyAndAudited(JdbcClient jdbc, Predicate<Call> down) {
        assertThat(calls).as("calls").isNotEmpty();
        assertThat(calls).allSatisfy(call -> assertThat(call.status()).as(call.toString()).isIn(200, 404, 503));
        assertThat(calls).filteredOn(down).allSatisfy(call -> {
            assertThat(call.status()).as(call.toString()).isEqualTo(503);
            if (call.inference()) {
                assertThat(call.contentType()).startsWith("application/json");
                assertThat(call.body()).as(call.toString()).startsWith("{\"error\":");
            }
            else {
                assertThat(call.contentType()).isEqualTo("application/problem+json");
                assertThat(call.body()).contains("\"type\":\"urn:modelward:problem:database-unavailable\"")
                        .contains("\"status\":503");
            }
        });
        for (Call call : calls) {
            if (!call.inference()) {
                continue;
            }
            long rows = jdbc.sql("SELECT count(*) FROM audit_event WHERE request_id = ?").param(call.requestId())
                    .query(Long.class).single();
            if (call.status() == 404) {
                assertThat(rows).as("audited: " + call).isEqualTo(1);
            }
            else if (down.test(call)) {
                assertThat(rows).as("refused, so not in the trail: " + call).isZero();
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        for (Thread thread : threads) {
            thread.join(Duration.ofSeconds(60));
        }
    }
}
