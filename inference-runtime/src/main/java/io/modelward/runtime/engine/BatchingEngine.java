package io.modelward.runtime.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import io.modelward.runtime.metrics.Metrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The serving core, without HTTP: a bounded queue in front of worker threads that each own one DJL predictor
 * (predictors are not thread-safe). A worker takes the oldest request, adds whatever compatible requests are
 * already waiting (and, with {@code maxBatchDelayMs} above 0, waits that long for more) up to {@code batchSize}
 * rows, runs them as one batch and splits the outputs. A full queue refuses at once.
 */
public final class BatchingEngine implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BatchingEngine.class);

    private final ZooModel<TensorBatch, TensorBatch> model;
    private final BlockingQueue<Job> queue;
    private final int batchSize;
    private final long maxDelayNanos;
    private final Metrics metrics;
    private final List<Thread> workers = new ArrayList<>();
    private final CountDownLatch warm;
    private volatile boolean accepting = true;
    private volatile @Nullable RuntimeException warmupFailure;

    public BatchingEngine(ZooModel<TensorBatch, TensorBatch> model, int workerCount, int batchSize,
            int maxBatchDelayMs, int queueSize, Metrics metrics, @Nullable List<Tensor> warmup) {
        this.model = model;
        this.queue = new ArrayBlockingQueue<>(queueSize);
        this.batchSize = batchSize;
        this.maxDelayNanos = TimeUnit.MILLISECONDS.toNanos(maxBatchDelayMs);
        this.metrics = metrics;
        this.warm = new CountDownLatch(workerCount);
        metrics.queueDepth(queue::size);
        for (int i = 0; i < workerCount; i++) {
            Thread worker = Thread.ofPlatform().name("inference-worker-" + i).daemon(false)
                    .unstarted(() -> work(warmup));
            workers.add(worker);
            worker.start();
        }
    }

    /** Blocks until every worker has its predictor and has run the warm-up; rethrows a warm-up failure. */
    public void awaitWarm() throws InterruptedException {
        warm.await();
        RuntimeException failure = warmupFailure;
        if (failure != null) {
            throw failure;
        }
    }

    public int queueDepth() {
        return queue.size();
    }

    /**
     * Queues one request: its tensors all have the same size of dimension 0. Fails at once with
     * {@link OverloadedException} when the queue is full or the engine is stopping.
     */
    public CompletableFuture<List<Tensor>> submit(List<Tensor> inputs) {
        if (!accepting) {
            throw new OverloadedException("The runtime is shutting down.");
        }
        Job job = new Job(inputs);
        if (!queue.offer(job)) {
            throw new OverloadedException("The request queue is full (" + (queue.size() + queue.remainingCapacity())
                    + " waiting): try again shortly.");
        }
        if (!accepting && queue.remove(job)) {
            // close() began between the check above and the offer: nobody may be left to serve it
            throw new OverloadedException("The runtime is shutting down.");
        }
        return job.future;
    }

    private void work(@Nullable List<Tensor> warmup) {
        Predictor<TensorBatch, TensorBatch> created;
        try {
            created = model.newPredictor();
        }
        catch (RuntimeException | Error ex) {
            warmupFailure = new IllegalStateException("Cannot create a predictor: " + firstLine(ex), ex);
            warm.countDown();
            return;
        }
        try (Predictor<TensorBatch, TensorBatch> predictor = created) {
            try {
                if (warmup != null) {
                    predictor.predict(new TensorBatch(warmup));
                }
            }
            catch (Exception | Error ex) {
                warmupFailure = new IllegalStateException("The model failed its warm-up run: " + firstLine(ex), ex);
            }
            finally {
                warm.countDown();
            }
            Job carry = null;
            while (true) {
                Job first = carry != null ? carry : queue.poll(100, TimeUnit.MILLISECONDS);
                carry = null;
                if (first == null) {
                    if (!accepting) {
                        return;
                    }
                    continue;
                }
                List<Job> batch = new ArrayList<>();
                batch.add(first);
                int rows = first.rows;
                long deadline = System.nanoTime() + maxDelayNanos;
                while (rows < batchSize) {
                    long wait = deadline - System.nanoTime();
                    Job next = wait > 0 ? queue.poll(wait, TimeUnit.NANOSECONDS) : queue.poll();
                    if (next == null) {
                        break;
                    }
                    if (!next.key.equals(first.key) || rows + next.rows > batchSize) {
                        carry = next;
                        break;
                    }
                    batch.add(next);
                    rows += next.rows;
                }
                run(predictor, batch, rows);
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    private void run(Predictor<TensorBatch, TensorBatch> predictor, List<Job> batch, int rows) {
        long start = System.nanoTime();
        for (Job job : batch) {
            metrics.queued(start - job.enqueued);
        }
        try {
            List<Tensor> outputs = predictor.predict(new TensorBatch(concat(batch, rows))).tensors();
            metrics.batch(batch.size(), System.nanoTime() - start);
            split(outputs, batch, rows);
        }
        catch (Exception | Error ex) {
            if (batch.size() > 1 && !(ex instanceof Error)) {
                // one bad request must not fail its neighbours: run each alone
                for (Job job : batch) {
                    run(predictor, List.of(job), job.rows);
                }
                return;
            }
            log.warn("Inference failed for {}: {}", batch.getFirst().inputs, firstLine(ex));
            for (Job job : batch) {
                job.future.completeExceptionally(new InferenceException("The model failed on this input: "
                        + firstLine(ex), ex));
            }
        }
    }

    private static List<Tensor> concat(List<Job> batch, int rows) {
        if (batch.size() == 1) {
            return batch.getFirst().inputs;
        }
        List<Tensor> first = batch.getFirst().inputs;
        List<Tensor> result = new ArrayList<>(first.size());
        for (int i = 0; i < first.size(); i++) {
            Tensor t = first.get(i);
            long[] shape = t.shape().clone();
            shape[0] = rows;
            Object data = java.lang.reflect.Array.newInstance(t.data().getClass().getComponentType(),
                    Math.toIntExact(Tensor.elements(shape)));
            int offset = 0;
            for (Job job : batch) {
                Tensor part = job.inputs.get(i);
                System.arraycopy(part.data(), 0, data, offset, part.length());
                offset += part.length();
            }
            result.add(new Tensor(t.name(), t.datatype(), shape, data));
        }
        return result;
    }

    private static void split(List<Tensor> outputs, List<Job> batch, int rows) {
        if (batch.size() == 1) {
            batch.getFirst().future.complete(outputs);
            return;
        }
        List<List<Tensor>> perJob = new ArrayList<>();
        for (int j = 0; j < batch.size(); j++) {
            perJob.add(new ArrayList<>());
        }
        for (Tensor out : outputs) {
            if (out.shape().length == 0 || out.shape()[0] != rows) {
                IllegalStateException ex = new IllegalStateException("The model's output " + out + " is not batched "
                        + "along dimension 0, so a batch of " + rows + " cannot be split: run with --batch-size=1.");
                batch.forEach(job -> job.future.completeExceptionally(new InferenceException(ex.getMessage(), ex)));
                return;
            }
            int itemLength = out.length() / rows;
            int offset = 0;
            for (int j = 0; j < batch.size(); j++) {
                Job job = batch.get(j);
                long[] shape = out.shape().clone();
                shape[0] = job.rows;
                Object data = java.lang.reflect.Array.newInstance(out.data().getClass().getComponentType(),
                        itemLength * job.rows);
                System.arraycopy(out.data(), offset, data, 0, itemLength * job.rows);
                offset += itemLength * job.rows;
                perJob.get(j).add(new Tensor(out.name(), out.datatype(), shape, data));
            }
        }
        for (int j = 0; j < batch.size(); j++) {
            batch.get(j).future.complete(perJob.get(j));
        }
    }

    /** Stops taking requests, lets the workers finish everything queued, then closes the predictors and model. */
    @Override
    public void close() {
        accepting = false;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        for (Thread worker : workers) {
            try {
                worker.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }
        Job left;
        while ((left = queue.poll()) != null) {
            left.future.completeExceptionally(new OverloadedException("The runtime stopped before serving this."));
        }
        if (workers.stream().noneMatch(Thread::isAlive)) {
            model.close();
        }
        else {
            log.warn("A worker is still running after 30 s; leaving the model to the process exit");
        }
    }

    static String firstLine(Throwable ex) {
        Throwable root = ex;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        String line = message.lines().findFirst().orElse(message).strip();
        return line.length() > 300 ? line.substring(0, 300) + "…" : line;
    }

    private static final class Job {

        final List<Tensor> inputs;
        final int rows;
        final String key;
        final long enqueued = System.nanoTime();
        final CompletableFuture<List<Tensor>> future = new CompletableFuture<>();

        Job(List<Tensor> inputs) {
            this.inputs = inputs;
            this.rows = inputs.isEmpty() ? 1 : inputs.getFirst().rows();
            StringBuilder key = new StringBuilder();
            for (Tensor t : inputs) {
                key.append(t.datatype()).append(Arrays.toString(t.itemShape())).append(';');
            }
            this.key = key.toString();
        }
    }
}
