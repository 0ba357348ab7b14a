package io.modelward.runtime.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.Datatype;
import io.modelward.runtime.engine.Tensor;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonGenerator;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads and writes the KServe V2 JSON shapes with Jackson's streaming API, so large tensors go straight into
 * primitive arrays without a tree of boxed numbers. Data may be flat or nested, row-major; its element count must
 * equal the product of the shape.
 */
final class V2Codec {

    static final ObjectMapper JSON = JsonMapper.builder().build();

    private V2Codec() {
    }

    static V2Request parse(byte[] body) {
        return parse(body, body.length);
    }

    /**
     * Parses a request whose first {@code jsonLength} bytes are JSON; with the binary tensor data extension, the
     * bytes after them hold the data of the inputs that declare {@code parameters.binary_data_size}, in order.
     */
    static V2Request parse(byte[] body, int jsonLength) {
        BinaryTensorData binary = new BinaryTensorData(body, jsonLength);
        try (JsonParser p = JSON.createParser(body, 0, jsonLength)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new BadInputException("The request body must be a JSON object.");
            }
            String id = null;
            JsonNode parameters = null;
            List<Tensor> inputs = null;
            List<String> outputs = List.of();
            while (p.nextToken() == JsonToken.PROPERTY_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "id" -> {
                        if (value != JsonToken.VALUE_STRING) {
                            throw new BadInputException("'id' must be a string.");
                        }
                        id = p.getString();
                    }
                    case "parameters" -> parameters = object(p, "parameters");
                    case "inputs" -> inputs = inputs(p, binary);
                    case "outputs" -> outputs = outputs(p);
                    default -> p.skipChildren();
                }
            }
            if (p.nextToken() != null) {
                throw new BadInputException("Unexpected content after the JSON object.");
            }
            if (inputs == null || inputs.isEmpty()) {
                throw new BadInputException("'inputs' is required and must hold at least one tensor.");
            }
            if (binary.offset() != body.length) {
                throw new BadInputException("The binary data is " + (body.length - jsonLength) + " bytes, but the "
                        + "inputs' binary_data_size add up to " + (binary.offset() - jsonLength) + ".");
            }
            return new V2Request(id, parameters, inputs, outputs);
        }
        catch (JacksonException ex) {
            throw new BadInputException("Malformed JSON: " + ex.getOriginalMessage());
        }
    }

    private static JsonNode object(JsonParser p, String what) {
        if (p.currentToken() != JsonToken.START_OBJECT) {
            throw new BadInputException("'" + what + "' must be an object.");
        }
        return p.readValueAsTree();
    }

    private static List<Tensor> inputs(JsonParser p, BinaryTensorData binary) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadInputException("'inputs' must be an array of tensors.");
        }
        List<Tensor> inputs = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.START_OBJECT) {
                throw new BadInputException("Each input must be an object with name, shape, datatype and data.");
            }
            inputs.add(tensor(p, inputs.size(), binary));
        }
        return inputs;
    }

    private static Tensor tensor(JsonParser p, int index, BinaryTensorData binary) {
        long binarySize = -1;
        String name = null;
        String datatype = null;
        long[] shape = null;
        JsonValues data = null;
        while (p.nextToken() == JsonToken.PROPERTY_NAME) {
            String field = p.currentName();
            JsonToken value = p.nextToken();
            switch (field) {
                case "name" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new BadInputException("Input " + index + ": 'name' must be a string.");
                    }
                    name = p.getString();
                }
                case "datatype" -> {
                    if (value != JsonToken.VALUE_STRING) {
                        throw new BadInputException("Input " + index + ": 'datatype' must be a string.");
                    }
                    datatype = p.getString();
                }
                case "shape" -> shape = shape(p, index);
                case "data" -> {
                    data = new JsonValues();
                    data.read(p, index);
                }
                case "parameters" -> {
                    JsonNode parameters = object(p, "parameters");
                    if (parameters.has("binary_data_size")) {
                        if (!parameters.get("binary_data_size").canConvertToLong()
                                || parameters.get("binary_data_size").asLong() < 0) {
                            throw new BadInputException("Input " + index + ": binary_data_size must be a byte count.");
                        }
                        binarySize = parameters.get("binary_data_size").asLong();
                    }
                }
                default -> p.skipChildren();
            }
        }
        String label = name == null ? "Input " + index : "Input '" + name + "'";
        if (binarySize >= 0 && data == null && name != null && datatype != null && shape != null) {
            String typeName = datatype;
            Datatype type = Datatype.of(typeName).orElseThrow(() -> new BadInputException(label + ": datatype '"
                    + typeName + "' is not supported here; use one of " + Arrays.toString(Datatype.values()) + "."));
            return new Tensor(name, type, shape, binary.take(binarySize, type, shape, label));
        }
        if (name == null || datatype == null || shape == null || data == null) {
            throw new BadInputException(label + " needs name, shape, datatype and data.");
        }
        String typeName = datatype;
        Datatype type = Datatype.of(typeName).orElseThrow(() -> new BadInputException(label + ": datatype '"
                + typeName + "' is not supported here; use one of " + Arrays.toString(Datatype.values()) + "."));
        long expected = Tensor.elements(shape);
        if (expected != data.count) {
            throw new BadInputException(label + " has shape " + Arrays.toString(shape) + ", which holds " + expected
                    + " elements, but its data has " + data.count + ".");
        }
        return new Tensor(name, type, shape, data.as(type, label));
    }

    private static long[] shape(JsonParser p, int index) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadInputException("Input " + index + ": 'shape' must be an array of sizes.");
        }
        List<Long> dims = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            if (p.currentToken() != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    || p.getLongValue() < 0) {
                throw new BadInputException("Input " + index + ": 'shape' must hold non-negative whole numbers.");
            }
            if (p.getLongValue() > Integer.MAX_VALUE || dims.size() >= 8) {
                throw new BadInputException("Input " + index + ": the shape is too large (at most 8 dimensions of "
                        + "at most " + Integer.MAX_VALUE + ").");
            }
            dims.add(p.getLongValue());
        }
        long product = 1;
        for (long d : dims) {
            product *= d;
            if (product > Integer.MAX_VALUE) {
                throw new BadInputException("Input " + index + ": the shape holds more than " + Integer.MAX_VALUE
                        + " elements.");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static List<String> outputs(JsonParser p) {
        if (p.currentToken() != JsonToken.START_ARRAY) {
            throw new BadInputException("'outputs' must be an array of {\"name\": ...} objects.");
        }
        List<String> names = new ArrayList<>();
        while (p.nextToken() != JsonToken.END_ARRAY) {
            JsonNode out = p.currentToken() == JsonToken.START_OBJECT ? p.readValueAsTree() : null;
            if (out == null || !out.path("name").isString()) {
                throw new BadInputException("Each requested output must be an object with a 'name'.");
            }
            names.add(out.path("name").asString());
        }
        return names;
    }

    static byte[] response(String model, String version, @Nullable String id, @Nullable JsonNode parameters,
            List<Tensor> outputs) {
        long estimate = 256 + outputs.stream().mapToLong(t -> t.length() * 12L).sum();
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream((int) Math.min(estimate, 1 << 24));
        try (JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringProperty("model_name", model);
            g.writeStringProperty("model_version", version);
            if (id != null) {
                g.writeStringProperty("id", id);
            }
            if (parameters != null) {
                g.writeName("parameters");
                JSON.writeTree(g, parameters);
            }
            g.writeArrayPropertyStart("outputs");
            for (Tensor t : outputs) {
                writeTensor(g, t);
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        return out.toByteArray();
    }

    static void writeTensor(JsonGenerator g, Tensor t) {
        g.writeStartObject();
        g.writeStringProperty("name", t.name());
        g.writeStringProperty("datatype", t.datatype().name());
        g.writeName("shape");
        g.writeArray(t.shape(), 0, t.shape().length);
        g.writeName("data");
        writeData(g, t);
        g.writeEndObject();
    }

    static void writeData(JsonGenerator g, Tensor t) {
        g.writeStartArray();
        switch (t.datatype()) {
            case FP32 -> {
                for (float v : (float[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case FP64 -> {
                for (double v : (double[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case INT32 -> {
                for (int v : (int[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case INT64 -> {
                for (long v : (long[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case UINT8 -> {
                for (byte v : (byte[]) t.data()) {
                    g.writeNumber(v & 0xff);
                }
            }
            case INT8 -> {
                for (byte v : (byte[]) t.data()) {
                    g.writeNumber(v);
                }
            }
            case BOOL -> {
                for (boolean v : (boolean[]) t.data()) {
                    g.writeBoolean(v);
                }
            }
            case BYTES -> {
                for (byte[] v : (byte[][]) t.data()) {
                    g.writeString(new String(v, StandardCharsets.UTF_8));
                }
            }
        }
        g.writeEndArray();
    }

}
