package io.modelward.runtime;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.http.RuntimeServer;
import io.modelward.runtime.metrics.Metrics;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** The real runtime in-process, on a free loopback port, serving a real model with real libtorch. */
public final class TestRuntime implements AutoCloseable {

    public static final String TOKEN = "test-internal-token";
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static TestRuntime digits;
    private static TestRuntime digitsOnnx;

    private final ServedModel model;
    private final RuntimeServer server;
    private final Metrics metrics;
    private final HttpClient http = HttpClient.newHttpClient();

    private TestRuntime(ServedModel model, RuntimeServer server, Metrics metrics) {
        this.model = model;
        this.server = server;
        this.metrics = metrics;
    }

    /** The digits model, loaded once per test JVM and shared (loading takes about a second). */
    public static synchronized TestRuntime digits() throws Exception {
        if (digits == null) {
            digits = start(Digits.args("--token=" + TOKEN, "--max-body-mb=1", "--workers=2"));
        }
        return digits;
    }

    /** The digits model exported to ONNX, on ONNX Runtime, loaded once per test JVM and shared. */
    public static synchronized TestRuntime digitsOnnx() throws Exception {
        if (digitsOnnx == null) {
            digitsOnnx = start(Digits.args(Digits.ONNX, "--token=" + TOKEN, "--max-body-mb=1", "--workers=2"));
        }
        return digitsOnnx;
    }

    public static TestRuntime start(List<String> args) throws Exception {
        RuntimeConfig config = RuntimeConfig.parse(args.toArray(String[]::new), Map.of());
        Metrics metrics = new Metrics(config.modelName());
        ServedModel model = ServedModel.load(config, metrics);
        RuntimeServer server = new RuntimeServer(config.host(), config.port(), metrics, config.token(),
                config.maxBodyBytes(), config.maxInflightBytes());
        server.serve(model);
        server.start();
        return new TestRuntime(model, server, metrics);
    }

    public ServedModel model() {
        return model;
    }

    public Metrics metrics() {
        return metrics;
    }

    public URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.port() + path);
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(authorized(path).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
        return send(authorized(path).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build());
    }

    public HttpResponse<String> post(String path, byte[] body, String contentType)
            throws IOException, InterruptedException {
        return send(authorized(path).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    public HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    public HttpRequest.Builder authorized(String path) {
        return HttpRequest.newBuilder(uri(path)).header("Authorization", "Bearer " + TOKEN);
    }

    public static JsonNode json(HttpResponse<String> response) {
        return JSON.readTree(response.body());
    }

    @Override
    public void close() {
        server.close();
        model.close();
    }
}
