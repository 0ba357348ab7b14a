// The runtime's serving core without HTTP: ServedModel (verification, queue, dynamic batching, worker predictors)
// driven by C caller threads in a closed loop. Separates the cost of the engine from the cost of HTTP.
//   java -cp "inference-runtime/target/inference-runtime.jar:inference-runtime/target/lib/*" \
//        bench/runtime/EngineThroughput.java MODEL.pt PROPERTIES CALLERS WORKERS SECONDS
import io.modelward.runtime.RuntimeConfig;
import io.modelward.runtime.engine.Datatype;
import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.engine.Tensor;
import io.modelward.runtime.metrics.Metrics;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

public class EngineThroughput {

    public static void main(String[] args) throws Exception {
        System.setProperty("ai.djl.pytorch.num_threads", "1");
        System.setProperty("ai.djl.pytorch.num_interop_threads", "1");
        Path model = Path.of(args[0]);
        int callers = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[4]);
        String sha;
        try (InputStream in = Files.newInputStream(model)) {
            sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(in.readAllBytes()));
        }
        RuntimeConfig config = RuntimeConfig.parse(new String[] { "--model-uri=" + model.toUri(), "--sha256=" + sha,
                "--properties=" + args[1], "--workers=" + args[3], "--port=0" }, Map.of());
        try (ServedModel served = ServedModel.load(config, new Metrics("bench"))) {
            float[] input = new float[3 * 224 * 224];
            Random random = new Random(1);
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextFloat();
            }
            LongAdder images = new LongAdder();
            long start = System.nanoTime();
            long end = start + seconds * 1_000_000_000L;
            Thread[] threads = new Thread[callers];
            for (int t = 0; t < callers; t++) {
                threads[t] = Thread.ofPlatform().start(() -> {
                    try {
                        while (System.nanoTime() < end) {
                            served.infer(List.of(new Tensor("input0", Datatype.FP32, new long[] { 1, 3, 224, 224 },
                                    input.clone()))).get();
                            images.increment();
                        }
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            }
            for (Thread t : threads) {
                t.join();
            }
            System.out.printf("engine callers=%d workers=%s images_per_s=%.2f%n", callers, args[3],
                    images.sum() / ((System.nanoTime() - start) / 1e9));
        }
    }
}
