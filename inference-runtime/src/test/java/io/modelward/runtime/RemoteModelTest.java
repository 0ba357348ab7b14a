package io.modelward.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.sun.net.httpserver.HttpServer;
import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.metrics.Metrics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runtime pods fetch their model from the portal's internal artifact endpoint with a per-deployment token. A stand-in
 * endpoint on loopback serves the committed digits model to that token only.
 */
class RemoteModelTest {

    static final String ARTIFACT_TOKEN = "deployment-artifact-token";

    @TempDir
    Path dir;

    HttpServer portal;

    @BeforeEach
    void serveTheModel() throws Exception {
        byte[] model = Files.readAllBytes(Digits.MODEL);
        portal = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        portal.createContext("/internal/artifacts/digits.pt", exchange -> {
            boolean allowed = ("Bearer " + ARTIFACT_TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"));
            byte[] body = allowed ? model : "{\"error\": \"no\"}".getBytes();
            exchange.sendResponseHeaders(allowed ? 200 : 401, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        portal.start();
    }

    @AfterEach
    void stop() {
        portal.stop(0);
    }

    @Test
    void downloadsVerifiesAndServesAModelFromTheArtifactEndpoint() throws Exception {
        try (ServedModel model = ServedModel.load(config(ARTIFACT_TOKEN), new Metrics("digits"))) {
            assertThat(model.name()).isEqualTo("digits");
            Path downloaded = dir.resolve("work/" + Digits.sha256(Digits.MODEL) + "-digits.pt");
            assertThat(Files.readAllBytes(downloaded)).isEqualTo(Files.readAllBytes(Digits.MODEL));
            Digits.Sample sample = Digits.samples().getFirst();
            assertThat(model.classify(sample.png(), 1).get().getFirst().index()).isEqualTo(sample.predicted());
        }
    }

    @Test
    void refusesToStartWhenTheEndpointRefusesTheToken() {
        assertThatThrownBy(() -> ServedModel.load(config("stolen"), new Metrics("digits")))
                .isInstanceOf(StartupException.class).hasMessageContaining("answered HTTP 401");
        assertThat(dir.resolve("work")).isEmptyDirectory();
    }

    @Test
    void keepsNothingOfADownloadWhoseChecksumDiffers() throws Exception {
        RuntimeConfig wrongSha = RuntimeConfig.parse(new String[] { "--model-uri=" + config(ARTIFACT_TOKEN).modelUri(),
                "--sha256=" + "0".repeat(64), "--artifact-token=" + ARTIFACT_TOKEN, "--work-dir=" + dir.resolve("work"),
                "--port=0" }, Map.of());
        assertThatThrownBy(() -> ServedModel.load(wrongSha, new Metrics("digits")))
                .isInstanceOf(StartupException.class).hasMessageContaining("not the expected");
        assertThat(dir.resolve("work")).isEmptyDirectory();
    }

    private RuntimeConfig config(String token) throws Exception {
        String uri = "http://127.0.0.1:" + portal.getAddress().getPort() + "/internal/artifacts/digits.pt";
        List<String> args = List.of("--model-uri=" + uri, "--sha256=" + Digits.sha256(Digits.MODEL),
                "--artifact-token=" + token, "--properties=" + Digits.PROPERTIES, "--work-dir=" + dir.resolve("work"),
                "--workers=1", "--port=0");
        return RuntimeConfig.parse(args.toArray(String[]::new), Map.of());
    }
}
