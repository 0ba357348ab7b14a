// A closed-loop load generator for the runtime's V2 infer endpoint (binary tensor data extension), in its own
// process. C threads each send one request at a time for the given seconds, on loopback only.
//   java bench/runtime/LoadGen.java URL TOKEN CONCURRENCY SECONDS SHAPE(e.g. 1,3,224,224)
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

public class LoadGen {

    public static void main(String[] args) throws Exception {
        URI url = URI.create(args[0]);
        if (!List.of("127.0.0.1", "localhost", "[::1]").contains(url.getHost())) {
            throw new IllegalArgumentException("Load is only ever sent to loopback, not " + url.getHost());
        }
        String token = args[1];
        int concurrency = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        long[] shape = Arrays.stream(args[4].split(",")).mapToLong(Long::parseLong).toArray();
        long elements = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        String header = "{\"inputs\": [{\"name\": \"input0\", \"shape\": " + Arrays.toString(shape)
                + ", \"datatype\": \"FP32\", \"parameters\": {\"binary_data_size\": " + elements * 4 + "}}]}";
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer body = ByteBuffer.allocate(json.length + (int) elements * 4).order(ByteOrder.LITTLE_ENDIAN);
        body.put(json);
        Random random = new Random(7);
        for (long i = 0; i < elements; i++) {
            body.putFloat(random.nextFloat());
        }
        HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(url).header("Authorization", "Bearer " + token)
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", String.valueOf(json.length))
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofByteArray(body.array())).build();
        for (int i = 0; i < 3; i++) {
            HttpResponse<String> warm = http.send(request, HttpResponse.BodyHandlers.ofString());
            if (warm.statusCode() != 200) {
                throw new IllegalStateException("warm-up got " + warm.statusCode() + ": " + warm.body());
            }
        }
        LongAdder ok = new LongAdder();
        LongAdder errors = new LongAdder();
        List<Long> latencies = Collections.synchronizedList(new ArrayList<>());
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        Thread[] threads = new Thread[concurrency];
        for (int t = 0; t < concurrency; t++) {
            threads[t] = Thread.ofPlatform().start(() -> {
                List<Long> mine = new ArrayList<>();
                while (System.nanoTime() < end) {
                    long t0 = System.nanoTime();
                    try {
                        HttpResponse<byte[]> r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
                        if (r.statusCode() == 200) {
                            ok.increment();
                            mine.add(System.nanoTime() - t0);
                        }
                        else {
                            errors.increment();
                        }
                    }
                    catch (Exception ex) {
                        errors.increment();
                    }
                }
                latencies.addAll(mine);
            });
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsed = (System.nanoTime() - start) / 1e9;
        List<Long> sorted = new ArrayList<>(latencies);
        Collections.sort(sorted);
        double p50 = sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2) / 1e6;
        double p99 = sorted.isEmpty() ? 0 : sorted.get((int) (sorted.size() * 0.99)) / 1e6;
        System.out.printf("http concurrency=%d requests=%d errors=%d seconds=%.1f images_per_s=%.2f p50_ms=%.1f "
                + "p99_ms=%.1f%n", concurrency, ok.sum(), errors.sum(), elapsed, ok.sum() * shape[0] / elapsed, p50, p99);
    }
}
