package io.modelward.runtime.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

import io.modelward.runtime.Processing;
import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.Datatype;
import io.modelward.runtime.engine.Prediction;
import io.modelward.runtime.engine.ServedModel;
import io.modelward.runtime.engine.Tensor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** What each endpoint does, once routing, the token and the body limit have been dealt with. */
final class Handlers {

    private static final String VERSION = Handlers.class.getPackage().getImplementationVersion() == null ? "dev"
            : Handlers.class.getPackage().getImplementationVersion();

    private final Supplier<@Nullable ServedModel> model;

    Handlers(Supplier<@Nullable ServedModel> model) {
        this.model = model;
    }

    Response serverMetadata() {
        ObjectNode body = V2Codec.JSON.createObjectNode().put("name", "modelward-runtime").put("version", VERSION);
        body.putArray("extensions").add("binary_tensor_data");
        return Response.json(200, body.toString());
    }

    Response v2Metadata(String name, @Nullable String version) {
        ServedModel m = model(name, version);
        Processing p = m.processing();
        ObjectNode body = V2Codec.JSON.createObjectNode().put("name", m.name());
        body.putArray("versions").add(m.version());
        body.put("platform", m.platform());
        ObjectNode input = body.putArray("inputs").addObject().put("name", p.inputName()).put("datatype",
                p.inputDatatype());
        ArrayNode shape = input.putArray("shape");
        Arrays.stream(p.inputShape()).forEach(shape::add);
        ArrayNode outputs = body.putArray("outputs");
        if (m.outputs().isEmpty()) {
            outputs.addObject().put("name", p.outputName()).put("datatype", "FP32").putArray("shape").add(-1);
        }
        for (ServedModel.TensorMeta out : m.outputs()) {
            ArrayNode outShape = outputs.addObject().put("name", out.name()).put("datatype", out.datatype().name())
                    .putArray("shape");
            Arrays.stream(out.shape()).forEach(outShape::add);
        }
        return Response.json(200, body.toString());
    }

    Response v2Ready(String name, @Nullable String version) {
        ServedModel m = model(name, version);
        return Response.json(200, V2Codec.JSON.createObjectNode().put("name", m.name()).put("ready", true).toString());
    }

    /**
     * V2 infer: the request is parsed and checked in the calling thread; the answer is built by {@code finish} once
     * the model is done, so the inference worker goes straight back to its queue.
     */
    CompletableFuture<Response> v2Infer(String name, @Nullable String version, byte[] body,
            @Nullable String jsonLength, Executor finish) {
        ServedModel m = model(name, version);
        V2Request request;
        if (jsonLength == null) {
            request = V2Codec.parse(body);
        }
        else {
            int length;
            try {
                length = Integer.parseInt(jsonLength.strip());
            }
            catch (NumberFormatException ex) {
                throw new BadInputException("Inference-Header-Content-Length must be a byte count.");
            }
            if (length < 0 || length > body.length) {
                throw new BadInputException("Inference-Header-Content-Length " + length + " is outside the body of "
                        + body.length + " bytes.");
            }
            request = V2Codec.parse(body, length);
        }
        return m.infer(request.inputs()).thenApplyAsync(outputs -> v2Response(m, request, outputs), finish);
    }

    private static Response v2Response(ServedModel m, V2Request request, List<Tensor> named) {
        if (!request.outputs().isEmpty()) {
            List<String> known = named.stream().map(Tensor::name).toList();
            for (String wanted : request.outputs()) {
                if (!known.contains(wanted)) {
                    throw new BadInputException("Unknown output '" + wanted + "': this model has " + known + ".");
                }
            }
            named = named.stream().filter(t -> request.outputs().contains(t.name())).toList();
        }
        return Response.json(200, V2Codec.response(m.name(), m.version(), request.id(), request.parameters(), named));
    }

    Response v1List() {
        ServedModel m = model.get();
        ObjectNode body = V2Codec.JSON.createObjectNode();
        ArrayNode models = body.putArray("models");
        if (m != null) {
            models.add(m.name());
        }
        return Response.json(200, body.toString());
    }

    Response v1Ready(String name) {
        ServedModel m = model(name, null);
        return Response.json(200, V2Codec.JSON.createObjectNode().put("name", m.name()).put("ready", true).toString());
    }

    /**
     * V1 predict: each instance is one item without the batch dimension, as a nested numeric array (e.g. [1, 8, 8]
     * for the digits model) or {@code {"b64": "<base64 image>"}}. Predictions are the model's output rows.
     */
    CompletableFuture<Response> v1Predict(String name, byte[] body, Executor finish) {
        ServedModel m = model(name, null);
        JsonNode root;
        try {
            root = V2Codec.JSON.readTree(body);
        }
        catch (JacksonException ex) {
            throw new BadInputException("Malformed JSON: " + ex.getOriginalMessage());
        }
        JsonNode instances = root == null ? null : root.get("instances");
        if (instances == null || !instances.isArray() || instances.isEmpty()) {
            throw new BadInputException("'instances' is required and must be a non-empty array.");
        }
        Tensor batch = instances.get(0).isObject() ? images(m, instances)
                : V1Instances.batch(m.processing().inputName(), m.processing().inputShape(), instances);
        return m.infer(List.of(batch)).thenApplyAsync(outputs -> Response.json(200,
                V1Instances.predictions(outputs.getFirst()).toString()), finish);
    }

    CompletableFuture<Response> classify(String name, byte[] body, @Nullable String contentType, int topK,
            Executor finish) {
        ServedModel m = model(name, null);
        byte[] image = contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")
                ? Multipart.firstPart(body, contentType) : body;
        int k = topK > 0 ? topK : m.processing().topK();
        return m.classify(image, k).thenApplyAsync(top -> classifyResponse(m, top), finish);
    }

    private static Response classifyResponse(ServedModel m, List<Prediction> top) {
        ObjectNode response = V2Codec.JSON.createObjectNode().put("model_name", m.name())
                .put("model_version", m.version());
        ArrayNode predictions = response.putArray("predictions");
        for (Prediction p : top) {
            predictions.addObject().put("label", p.label()).put("index", p.index()).put("probability", p.probability());
        }
        return Response.json(200, response.toString());
    }

    private Tensor images(ServedModel m, JsonNode instances) {
        List<byte[]> encoded = new ArrayList<>();
        for (JsonNode instance : instances) {
            if (!instance.path("b64").isString()) {
                throw new BadInputException("Image instances must be {\"b64\": \"<base64 image>\"}.");
            }
            encoded.add(instance.path("b64").asString().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Tensor bytes = new Tensor(m.processing().inputName(), Datatype.BYTES, new long[] { encoded.size() },
                encoded.toArray(new byte[0][]));
        return m.imageBatch(bytes);
    }

    private ServedModel model(String name, @Nullable String version) {
        ServedModel m = model.get();
        if (m == null) {
            throw new HttpError(503, "The model is not loaded yet.");
        }
        if (!m.name().equals(name)) {
            throw new HttpError(404, "Model with name " + name + " does not exist.");
        }
        if (version != null && !m.version().equals(version)) {
            throw new HttpError(404, "Model " + name + " has no version " + version + ".");
        }
        return m;
    }
}
