// Raw in-process DJL throughput: N threads, each with its own predictor, calling the model in a plain loop.
// The baseline the runtime's HTTP throughput is compared with. Run by bench/runtime/run.sh:
//   java -cp "inference-runtime/target/lib/*" bench/runtime/RawThroughput.java MODEL.pt THREADS BATCH SECONDS
import ai.djl.inference.Predictor;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoopTranslator;

import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.atomic.LongAdder;

public class RawThroughput {

    public static void main(String[] args) throws Exception {
        Path model = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        int batch = Integer.parseInt(args[2]);
        long seconds = Long.parseLong(args[3]);
        String name = model.getFileName().toString().replaceFirst("\\.pt$", "");
        try (ZooModel<NDList, NDList> zoo = Criteria.builder().setTypes(NDList.class, NDList.class)
                .optModelPath(model.getParent()).optModelName(name).optEngine("PyTorch")
                .optTranslator(new NoopTranslator()).build().loadModel()) {
            float[] input = new float[batch * 3 * 224 * 224];
            Random random = new Random(1);
            for (int i = 0; i < input.length; i++) {
                input[i] = random.nextFloat();
            }
            LongAdder images = new LongAdder();
            Thread[] workers = new Thread[threads];
            long[] window = new long[2];
            for (int t = 0; t < threads; t++) {
                workers[t] = Thread.ofPlatform().start(() -> {
                    try (Predictor<NDList, NDList> predictor = zoo.newPredictor()) {
                        for (int i = 0; i < 3; i++) {
                            once(zoo, predictor, input, batch);
                        }
                        synchronized (window) {
                            if (window[0] == 0) {
                                window[0] = System.nanoTime();
                                window[1] = window[0] + seconds * 1_000_000_000L;
                            }
                        }
                        while (System.nanoTime() < window[1]) {
                            once(zoo, predictor, input, batch);
                            images.add(batch);
                        }
                    }
                    catch (Exception ex) {
                        throw new IllegalStateException(ex);
                    }
                });
            }
            for (Thread w : workers) {
                w.join();
            }
            double elapsed = (System.nanoTime() - window[0]) / 1e9;
            System.out.printf("raw threads=%d batch=%d images=%d seconds=%.1f images_per_s=%.2f%n", threads, batch,
                    images.sum(), elapsed, images.sum() / elapsed);
        }
    }

    private static void once(ZooModel<NDList, NDList> zoo, Predictor<NDList, NDList> predictor, float[] input,
            int batch) throws Exception {
        try (var manager = zoo.getNDManager().newSubManager()) {
            NDList out = predictor.predict(new NDList(manager.create(input, new Shape(batch, 3, 224, 224))));
            out.get(0).toFloatArray();
        }
    }
}
