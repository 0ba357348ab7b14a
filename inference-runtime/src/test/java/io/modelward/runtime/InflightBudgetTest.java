package io.modelward.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

/**
 * Request bodies held at once are bounded: while one client is still sending a large body that fills the budget,
 * another large request gets 503 at once instead of more memory.
 */
class InflightBudgetTest {

    /** Sends the body until the expected status comes back (the server works asynchronously), at most 10 s. */
    private static java.net.http.HttpResponse<String> until(TestRuntime runtime, byte[] body, int status)
            throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        java.net.http.HttpResponse<String> response;
        do {
            response = runtime.post("/v1/models/digits:classify", body, "image/png");
        }
        while (response.statusCode() != status && System.nanoTime() < deadline);
        return response;
    }

    @Test
    void refusesALargeBodyWhileTheBudgetIsTakenAndAcceptsItAfterwards() throws Exception {
        try (TestRuntime runtime = TestRuntime.start(Digits.args("--workers=1", "--max-body-mb=2",
                "--max-inflight-mb=2"))) {
            int port = runtime.uri("/").getPort();
            try (Socket slow = new Socket("127.0.0.1", port)) {
                OutputStream out = slow.getOutputStream();
                // declares 2 MiB and sends only the headers: the server holds the whole budget for it
                out.write(("POST /v1/models/digits:classify HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: image/png\r\n"
                        + "Content-Length: " + (2 * 1024 * 1024) + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                out.flush();
                var refused = until(runtime, new byte[1024 * 1024], 503);
                assertThat(TestRuntime.json(refused).path("error").asString()).contains("Too many large requests");
            }
            // the slow client went away: its share of the budget is back
            assertThat(until(runtime, Digits.samples().getFirst().png(), 200).statusCode()).isEqualTo(200);
        }
    }

}
