import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import io.modelward.deployer.DeployerProperties;
import io.modelward.deployer.DeploymentPlan;
import io.modelward.deployer.DeploymentSpec;
import io.modelward.deployer.DeploymentTarget;
import io.modelward.deployer.DesiredState;
import io.modelward.deployer.LocalBackend;
import io.modelward.deployer.Resources;
import io.modelward.deployer.RuntimeSpec;
import io.modelward.deployer.ScaleMetric;

/**
 * Scale from zero with the local backend, as the gateway's activation drives it: from the plan asking for a replica
 * (a deployment created, or one scaled to zero receiving a request) to the replica READY, and to the first answer of
 * an image request through the runtime's classify endpoint. Each round starts from zero processes.
 *
 * Usage (see run.sh): java -cp <deployer classes and dependencies> ScaleFromZero.java RUNTIME_JAR MODEL_DIR MODEL_FILE
 * IMAGE ROUNDS [processing flags as k=v ...]
 */
public class ScaleFromZero {

    public static void main(String[] args) throws Exception {
        Path jar = Path.of(args[0]);
        Path dir = Path.of(args[1]);
        String file = args[2];
        Path image = Path.of(args[3]);
        int rounds = Integer.parseInt(args[4]);
        Map<String, String> processing = new java.util.LinkedHashMap<>();
        for (int i = 5; i < args.length; i++) {
            processing.put(args[i].substring(0, args[i].indexOf('=')), args[i].substring(args[i].indexOf('=') + 1));
        }
        Map<String, Path> bySha = Map.of(sha(dir.resolve(file)), dir.resolve(file), sha(dir.resolve("synset.txt")),
                dir.resolve("synset.txt"));
        Path work = Files.createTempDirectory("scale-from-zero");
        LocalBackend backend = new LocalBackend(new DeployerProperties.Local(jar, work, Duration.ofSeconds(120), 3,
                Duration.ofSeconds(30)), work, bySha::get, () -> { });
        DeploymentSpec spec = new DeploymentSpec("bench", "bench", "1", DeploymentTarget.LOCAL, "default", 1, 1,
                ScaleMetric.INFLIGHT, 4, 60, new Resources("1", "1", "512Mi", "2Gi"), DesiredState.RUNNING);
        RuntimeSpec runtime = new RuntimeSpec("bench", "1", "TORCHSCRIPT", sha(dir.resolve(file)), file,
                sha(dir.resolve("synset.txt")), "synset.txt", processing, "bench-token");
        HttpClient http = HttpClient.newHttpClient();
        warmUp(http, image); // the gateway is a long-running process: its HTTP client is warm
        List<Long> readyMs = new ArrayList<>();
        List<Long> answerMs = new ArrayList<>();
        try {
            for (int round = 0; round < rounds; round++) {
                long start = System.nanoTime();
                var ready = backend.awaitReady(spec, Duration.ofSeconds(120));
                backend.reconcile(new DeploymentPlan(spec, runtime, 1));
                ready.get();
                long readyAt = System.nanoTime();
                URI endpoint = backend.readyEndpoints(spec).getFirst();
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(endpoint.resolve("/v1/models/bench:classify"))
                        .header("Authorization", "Bearer bench-token").header("Content-Type", "image/png")
                        .POST(HttpRequest.BodyPublishers.ofFile(image)).build(), HttpResponse.BodyHandlers.ofString());
                long answeredAt = System.nanoTime();
                if (answer.statusCode() != 200) {
                    throw new IllegalStateException("answer " + answer.statusCode() + ": " + answer.body());
                }
                readyMs.add((readyAt - start) / 1_000_000);
                answerMs.add((answeredAt - start) / 1_000_000);
                backend.reconcile(new DeploymentPlan(spec, runtime, 0));
                while (!backend.readyEndpoints(spec).isEmpty()) {
                    Thread.sleep(50);
                }
                Thread.sleep(1_000);
            }
        }
        finally {
            backend.close();
        }
        System.out.printf("%s: zero to READY %s ms; zero to first answer %s ms%n", file, readyMs, answerMs);
    }

    private static void warmUp(HttpClient http, Path image) throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        server.start();
        for (int i = 0; i < 20; i++) {
            http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/"))
                    .header("Authorization", "Bearer x").POST(HttpRequest.BodyPublishers.ofFile(image)).build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        server.stop(0);
    }

    private static String sha(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }
}
