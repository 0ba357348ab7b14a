package io.modelward.runtime.engine;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import ai.djl.MalformedModelException;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import io.modelward.runtime.ModelFormat;
import io.modelward.runtime.ModelPackage;
import io.modelward.runtime.Processing;
import io.modelward.runtime.RuntimeConfig;
import io.modelward.runtime.StartupException;
import io.modelward.runtime.metrics.Metrics;
import org.jspecify.annotations.Nullable;

/**
 * The model being served: its verified package, the DJL model on its engine (libtorch for TorchScript and .mar, ONNX
 * Runtime for ONNX) and the batching engine in front of it. It checks requests against what the model declares before they reach a worker.
 */
public final class ServedModel implements AutoCloseable {

    private final RuntimeConfig config;
    private final ModelPackage pkg;
    private final BatchingEngine engine;
    private final ImagePreprocessor images;
    private final List<TensorMeta> outputs;

    private ServedModel(RuntimeConfig config, ModelPackage pkg, BatchingEngine engine, List<TensorMeta> outputs) {
        this.config = config;
        this.pkg = pkg;
        this.engine = engine;
        this.images = new ImagePreprocessor(pkg.processing());
        this.outputs = outputs;
    }

    /** A tensor as V2 metadata describes it; -1 marks a dimension of any size. */
    public record TensorMeta(String name, Datatype datatype, long[] shape) {
    }

    /** Verifies, loads and warms up the model; returns once every worker is ready. */
    public static ServedModel load(RuntimeConfig config, Metrics metrics) throws InterruptedException {
        long started = System.nanoTime();
        ModelPackage opened = ModelPackage.open(config);
        OnnxSignature.Signature signature = opened.format() == ModelFormat.ONNX
                ? OnnxSignature.read(opened.modelFile()) : null;
        ModelPackage pkg = signature == null ? opened : withSignature(opened, signature);
        // the image path warms up beside libtorch, so neither waits for the other
        Thread images = Thread.ofPlatform().name("image-warm-up").daemon()
                .start(() -> new ImagePreprocessor(pkg.processing()).warmUp());
        String file = pkg.modelFile().getFileName().toString();
        Criteria<TensorBatch, TensorBatch> criteria = Criteria.builder()
                .setTypes(TensorBatch.class, TensorBatch.class)
                // the verified file itself: given a directory, DJL would search it for other names (model.pt, ...)
                .optModelPath(pkg.modelFile())
                .optEngine(pkg.format().engine())
                .optTranslator(new TensorTranslator())
                // ONNX Runtime's threads per session, as libtorch's are set per process (RuntimeMain)
                .optOption("intraOpNumThreads", String.valueOf(config.intraOpThreads()))
                .optOption("interOpNumThreads", "1")
                .build();
        ZooModel<TensorBatch, TensorBatch> model;
        try {
            model = criteria.loadModel();
        }
        catch (ModelNotFoundException | MalformedModelException | IOException | RuntimeException ex) {
            throw new StartupException(pkg.format().engine() + " cannot load " + file + ": "
                    + BatchingEngine.firstLine(ex), ex);
        }
        List<Tensor> warmup = warmupInput(pkg.processing());
        BatchingEngine engine = new BatchingEngine(model, config.workers(), config.batchSize(),
                config.maxBatchDelayMs(), config.queueSize(), metrics, warmup);
        List<TensorMeta> outputs;
        try {
            engine.awaitWarm();
            outputs = signature != null ? signature.outputs()
                    : warmup == null ? List.of() : describe(engine, warmup, pkg.processing().outputName());
        }
        catch (RuntimeException | java.util.concurrent.ExecutionException ex) {
            engine.close();
            throw new StartupException(ex.getMessage(), ex);
        }
        images.join(5_000);
        metrics.modelLoaded(System.nanoTime() - started);
        return new ServedModel(config, pkg, engine, outputs);
    }

    /**
     * An ONNX model names its own input and outputs: the processing takes them from the graph, and refuses a model
     * with more than one input (the protocol handlers here send one tensor).
     */
    private static ModelPackage withSignature(ModelPackage pkg, OnnxSignature.Signature signature) {
        if (signature.inputs().size() != 1 || signature.outputs().isEmpty()) {
            throw new StartupException("The ONNX model has " + signature.inputs().size() + " inputs and "
                    + signature.outputs().size() + " outputs; ModelWard's runtime serves models with one input and at "
                    + "least one output.");
        }
        TensorMeta input = signature.inputs().getFirst();
        return new ModelPackage(pkg.modelFile(), pkg.labels(), pkg.processing().withModelSignature(input.name(),
                input.shape(), input.datatype().name(), signature.outputs().getFirst().name()), pkg.format());
    }

    /** The model's real outputs: what one warm-up inference returned, with the batch dimension left open. */
    private static List<TensorMeta> describe(BatchingEngine engine, List<Tensor> warmup, String firstName)
            throws InterruptedException, java.util.concurrent.ExecutionException {
        List<Tensor> result = ModelOutputs.named(engine.submit(warmup).get(), firstName);
        List<TensorMeta> metas = new ArrayList<>();
        for (Tensor t : result) {
            long[] shape = t.shape().clone();
            if (shape.length > 0) {
                shape[0] = -1;
            }
            metas.add(new TensorMeta(t.name(), t.datatype(), shape));
        }
        return List.copyOf(metas);
    }

    /** The outputs as observed at warm-up; empty when the input shape was not known in advance. */
    public List<TensorMeta> outputs() {
        return outputs;
    }

    private static @Nullable List<Tensor> warmupInput(Processing p) {
        long[] shape = p.inputShape().clone();
        if (shape.length <= 1 || !"FP32".equals(p.inputDatatype())) {
            return null;
        }
        shape[0] = shape[0] < 0 ? 1 : shape[0];
        if (Arrays.stream(shape).anyMatch(d -> d < 0)) {
            return null;
        }
        return List.of(new Tensor(p.inputName(), Datatype.FP32, shape, new float[(int) Tensor.elements(shape)]));
    }

    public String name() {
        return config.modelName();
    }

    public String version() {
        return config.modelVersion();
    }

    public String platform() {
        return pkg.platform();
    }

    public Processing processing() {
        return pkg.processing();
    }

    public int queueDepth() {
        return engine.queueDepth();
    }

    /**
     * Runs tensors through the model after checking them against the declared input. The outputs are named as
     * clients see them; NaN or infinity in them fails with {@link BadOutputException} unless the model may answer so.
     */
    public CompletableFuture<List<Tensor>> infer(List<Tensor> inputs) {
        Processing p = pkg.processing();
        if (inputs.size() != 1) {
            throw new BadInputException("This model takes exactly one input, '" + p.inputName() + "', not "
                    + inputs.size() + ".");
        }
        Tensor input = inputs.getFirst();
        if (!input.name().equals(p.inputName())) {
            throw new BadInputException("Unknown input '" + input.name() + "': this model takes '" + p.inputName()
                    + "'.");
        }
        if (input.datatype() == Datatype.BYTES) {
            return infer(List.of(imageBatch(input)));
        }
        if (!input.datatype().name().equals(p.inputDatatype())) {
            throw new BadInputException("Input '" + input.name() + "' must be " + p.inputDatatype() + ", not "
                    + input.datatype() + (p.takesImages() ? " (or BYTES holding base64-encoded images)" : "") + ".");
        }
        requireShape(input.shape(), p.inputShape(), input.name());
        return engine.submit(inputs).thenApply(this::answer);
    }

    private List<Tensor> answer(List<Tensor> outputs) {
        List<Tensor> named = ModelOutputs.named(outputs, pkg.processing().outputName());
        if (!pkg.processing().allowNonFinite()) {
            ModelOutputs.requireFinite(name(), named);
        }
        return named;
    }

    /** Classifies one encoded image: the top-k classes with probabilities. */
    public CompletableFuture<List<Prediction>> classify(byte[] image, int topK) {
        if (!pkg.processing().takesImages()) {
            throw new BadInputException("Model '" + name() + "' does not take images: send a tensor instead.");
        }
        Tensor input = images.tensor(pkg.processing().inputName(), image);
        return engine.submit(List.of(input)).thenApply(outputs -> top(answer(outputs).getFirst(), topK));
    }

    /** Decodes BYTES elements (base64 images) into one FP32 batch. */
    public Tensor imageBatch(Tensor bytes) {
        if (!pkg.processing().takesImages()) {
            throw new BadInputException("Model '" + name() + "' does not take images, so BYTES input is not accepted.");
        }
        byte[][] elements = (byte[][]) bytes.data();
        if (elements.length == 0) {
            throw new BadInputException("Input '" + bytes.name() + "' holds no images.");
        }
        List<Tensor> decoded = new ArrayList<>();
        for (byte[] element : elements) {
            decoded.add(images.tensor(bytes.name(), base64(element)));
        }
        Tensor first = decoded.getFirst();
        for (Tensor t : decoded) {
            if (!java.util.Arrays.equals(t.shape(), first.shape())) {
                throw new BadInputException("The images come out in different sizes (" + Arrays.toString(first.shape())
                        + " and " + Arrays.toString(t.shape()) + "): send them in separate requests, or give the model "
                        + "a crop size.");
            }
        }
        int itemLength = first.length();
        float[] data = new float[itemLength * decoded.size()];
        for (int i = 0; i < decoded.size(); i++) {
            System.arraycopy(decoded.get(i).data(), 0, data, i * itemLength, itemLength);
        }
        long[] shape = first.shape().clone();
        shape[0] = decoded.size();
        return new Tensor(bytes.name(), Datatype.FP32, shape, data);
    }

    private List<Prediction> top(Tensor logits, int topK) {
        if (logits.datatype() != Datatype.FP32) {
            throw new IllegalStateException("The model's output is " + logits.datatype() + ", not FP32 scores.");
        }
        float[] scores = (float[]) logits.data();
        float[] probabilities = pkg.processing().softmax() ? softmax(scores) : scores;
        int k = Math.min(Math.max(topK, 1), probabilities.length);
        return IntStream.range(0, probabilities.length).boxed()
                .sorted(Comparator.comparingDouble((Integer i) -> probabilities[i]).reversed()).limit(k)
                .map(i -> new Prediction(i, pkg.label(i), probabilities[i])).toList();
    }

    /** Softmax computed in double precision for stability, returned as float. */
    public static float[] softmax(float[] scores) {
        double max = Double.NEGATIVE_INFINITY;
        for (float s : scores) {
            max = Math.max(max, s);
        }
        double sum = 0;
        double[] e = new double[scores.length];
        for (int i = 0; i < scores.length; i++) {
            e[i] = Math.exp(scores[i] - max);
            sum += e[i];
        }
        float[] p = new float[scores.length];
        for (int i = 0; i < scores.length; i++) {
            p[i] = (float) (e[i] / sum);
        }
        return p;
    }

    private static byte[] base64(byte[] element) {
        try {
            return java.util.Base64.getDecoder().decode(new String(element, java.nio.charset.StandardCharsets.US_ASCII)
                    .replaceAll("\\s", ""));
        }
        catch (IllegalArgumentException ex) {
            throw new BadInputException("BYTES elements must be base64-encoded images: " + ex.getMessage());
        }
    }

    static void requireShape(long[] actual, long[] declared, String name) {
        if (declared.length <= 1 && declared.length > 0 && declared[0] == -1) {
            return;
        }
        boolean matches = actual.length == declared.length;
        for (int i = 0; matches && i < declared.length; i++) {
            matches = declared[i] < 0 || declared[i] == actual[i];
        }
        if (!matches || (actual.length > 0 && actual[0] < 1)) {
            throw new BadInputException("Input '" + name + "' has shape " + Arrays.toString(actual)
                    + ", but this model takes " + Arrays.toString(declared) + " (-1: any size).");
        }
    }

    /** Stops taking requests, serves what is queued, then releases the model. */
    @Override
    public void close() {
        engine.close();
    }
}
