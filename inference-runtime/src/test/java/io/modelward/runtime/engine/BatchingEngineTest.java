package io.modelward.runtime.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ZooModel;
import io.modelward.runtime.Digits;
import io.modelward.runtime.metrics.Metrics;
import org.junit.jupiter.api.Test;

/** The serving core without HTTP, on the real digits model and libtorch. */
class BatchingEngineTest {

    @Test
    void refusesAtOnceWhenTheQueueIsFull() throws Exception {
        // no workers: nothing drains the queue, so its bound is what the test sees
        try (BatchingEngine engine = new BatchingEngine(load(), 0, 8, 0, 2, new Metrics("digits"), null)) {
            engine.submit(List.of(image(0)));
            engine.submit(List.of(image(1)));
            assertThatThrownBy(() -> engine.submit(List.of(image(2)))).isInstanceOf(OverloadedException.class)
                    .hasMessageContaining("queue is full");
            assertThat(engine.queueDepth()).isEqualTo(2);
        }
    }

    @Test
    void servesRequestsThatArriveTogetherAsOneBatchAndSplitsTheAnswers() throws Exception {
        Metrics metrics = new Metrics("digits");
        List<Digits.Sample> samples = Digits.samples();
        // one worker that waits up to 10 s for 4 rows: the batch closes when the fourth request arrives
        try (BatchingEngine engine = new BatchingEngine(load(), 1, 4, 10_000, 16, metrics, null)) {
            List<CompletableFuture<List<Tensor>>> answers = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                answers.add(engine.submit(List.of(image(samples.get(i)))));
            }
            for (int i = 0; i < 4; i++) {
                Tensor out = answers.get(i).get().getFirst();
                assertThat(out.shape()).containsExactly(1, 10);
                assertThat((float[]) out.data()).containsExactly(samples.get(i).logits(),
                        org.assertj.core.data.Offset.offset(1e-5f));
            }
            assertThat(metrics.batches()).isEqualTo(1);
            assertThat(metrics.scrape()).contains("modelward_batch_size_bucket{model=\"digits\",le=\"4\"} 1");
        }
    }

    @Test
    void keepsRequestsOfDifferentShapesApart() throws Exception {
        Metrics metrics = new Metrics("digits");
        try (BatchingEngine engine = new BatchingEngine(load(), 1, 8, 200, 16, metrics, null)) {
            CompletableFuture<List<Tensor>> single = engine.submit(List.of(image(0)));
            Tensor pair = new Tensor("input0", Datatype.FP32, new long[] { 2, 1, 8, 8 }, new float[128]);
            CompletableFuture<List<Tensor>> two = engine.submit(List.of(pair));
            Tensor odd = new Tensor("input0", Datatype.FP32, new long[] { 1, 1, 4, 4 }, new float[16]);
            CompletableFuture<List<Tensor>> wrong = engine.submit(List.of(odd));
            assertThat(single.get().getFirst().shape()).containsExactly(1, 10);
            assertThat(two.get().getFirst().shape()).containsExactly(2, 10);
            assertThat(wrong).failsWithin(java.time.Duration.ofSeconds(30))
                    .withThrowableOfType(java.util.concurrent.ExecutionException.class)
                    .withCauseInstanceOf(InferenceException.class);
        }
    }

    @Test
    void drainsTheQueueWhenClosed() throws Exception {
        List<CompletableFuture<List<Tensor>>> answers = new ArrayList<>();
        BatchingEngine engine = new BatchingEngine(load(), 1, 1, 0, 64, new Metrics("digits"), null);
        for (int i = 0; i < 20; i++) {
            answers.add(engine.submit(List.of(image(i))));
        }
        engine.close();
        assertThat(answers).allSatisfy(f -> assertThat(f).isCompleted().isNotCompletedExceptionally());
        assertThatThrownBy(() -> engine.submit(List.of(image(0)))).isInstanceOf(OverloadedException.class)
                .hasMessageContaining("shutting down");
    }

    private static Tensor image(int seed) {
        float[] data = new float[64];
        for (int i = 0; i < 64; i++) {
            data[i] = ((seed * 31 + i * 7) % 17) / 16f;
        }
        return new Tensor("input0", Datatype.FP32, new long[] { 1, 1, 8, 8 }, data);
    }

    private static Tensor image(Digits.Sample sample) throws java.io.IOException {
        return new Tensor("input0", Datatype.FP32, new long[] { 1, 1, 8, 8 }, sample.pixels());
    }

    static ZooModel<TensorBatch, TensorBatch> load() throws Exception {
        return Criteria.builder().setTypes(TensorBatch.class, TensorBatch.class)
                .optModelPath(Digits.MODEL.getParent()).optModelName("digits").optEngine("PyTorch")
                .optTranslator(new TensorTranslator()).build().loadModel();
    }
}
