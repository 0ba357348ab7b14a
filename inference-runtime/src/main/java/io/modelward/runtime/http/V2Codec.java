package io.modelward.runtime.http;

import java.io.OutputStream;
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
        Binary binary = new Binary(body, jsonLength);
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
            if (binary.offset != body.length) {
                throw new BadInputException("The binary data is " + (body.length - jsonLength) + " bytes, but the "
                        + "inputs' binary_data_size add up to " + (binary.offset - jsonLength) + ".");
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

    private static List<Tensor> inputs(JsonParser p, Binary binary) {
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

    private static Tensor tensor(JsonParser p, int index, Binary binary) {
        long binarySize = -1;
        String name = null;
        String datatype = null;
        long[] shape = null;
        Values data = null;
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
                    data = new Values();
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

    static void write(OutputStream out, JsonNode node) {
        JSON.writeValue(out, node);
    }

    /** The binary tail of a request using the binary tensor data extension: little-endian, row-major. */
    static final class Binary {

        private final byte[] body;
        int offset;

        Binary(byte[] body, int jsonLength) {
            this.body = body;
            this.offset = jsonLength;
        }

        Object take(long size, Datatype type, long[] shape, String label) {
            if (size > body.length - offset) {
                throw new BadInputException(label + ": binary_data_size " + size + " runs past the end of the body.");
            }
            int elements = Math.toIntExact(Tensor.elements(shape));
            java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(body, offset, (int) size)
                    .order(java.nio.ByteOrder.LITTLE_ENDIAN);
            int width = switch (type) {
                case BOOL, UINT8, INT8 -> 1;
                case INT32, FP32 -> 4;
                case INT64, FP64 -> 8;
                case BYTES -> 0;
            };
            if (type != Datatype.BYTES && (long) elements * width != size) {
                throw new BadInputException(label + " has shape " + Arrays.toString(shape) + ", which needs "
                        + (long) elements * width + " bytes of " + type + ", but binary_data_size is " + size + ".");
            }
            offset += (int) size;
            return switch (type) {
                case FP32 -> {
                    float[] v = new float[elements];
                    buffer.asFloatBuffer().get(v);
                    yield v;
                }
                case FP64 -> {
                    double[] v = new double[elements];
                    buffer.asDoubleBuffer().get(v);
                    yield v;
                }
                case INT32 -> {
                    int[] v = new int[elements];
                    buffer.asIntBuffer().get(v);
                    yield v;
                }
                case INT64 -> {
                    long[] v = new long[elements];
                    buffer.asLongBuffer().get(v);
                    yield v;
                }
                case UINT8, INT8 -> {
                    byte[] v = new byte[elements];
                    buffer.get(v);
                    yield v;
                }
                case BOOL -> {
                    boolean[] v = new boolean[elements];
                    for (int i = 0; i < elements; i++) {
                        v[i] = buffer.get() != 0;
                    }
                    yield v;
                }
                case BYTES -> {
                    List<byte[]> items = new ArrayList<>();
                    while (buffer.remaining() >= 4) {
                        int n = buffer.getInt();
                        if (n < 0 || n > buffer.remaining()) {
                            throw new BadInputException(label + ": a BYTES element length runs past its data.");
                        }
                        byte[] item = new byte[n];
                        buffer.get(item);
                        items.add(item);
                    }
                    if (items.size() != elements) {
                        throw new BadInputException(label + " has shape " + Arrays.toString(shape) + " but its binary "
                                + "data holds " + items.size() + " BYTES elements.");
                    }
                    yield items.toArray(new byte[0][]);
                }
            };
        }
    }

    /** The elements of a data array, read before the datatype may be known (JSON fields come in any order). */
    static final class Values {

        int count;
        private double[] doubles = new double[64];
        private long[] longs = new long[64];
        private boolean integral = true;
        private boolean numbers;
        private boolean booleans;
        private List<byte[]> strings;

        void read(JsonParser p, int index) {
            if (p.currentToken() != JsonToken.START_ARRAY) {
                add(p, index);
                return;
            }
            int depth = 0;
            JsonToken token = p.currentToken();
            while (true) {
                if (token == JsonToken.START_ARRAY) {
                    depth++;
                }
                else if (token == JsonToken.END_ARRAY) {
                    if (--depth == 0) {
                        return;
                    }
                }
                else {
                    add(p, index);
                }
                token = p.nextToken();
            }
        }

        private void add(JsonParser p, int index) {
            JsonToken token = p.currentToken();
            if (count == doubles.length) {
                doubles = Arrays.copyOf(doubles, count * 2);
                longs = Arrays.copyOf(longs, count * 2);
            }
            switch (token) {
                case VALUE_NUMBER_INT -> {
                    numbers = true;
                    if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                        integral = false;
                        doubles[count] = p.getDoubleValue();
                    }
                    else {
                        longs[count] = p.getLongValue();
                        doubles[count] = longs[count];
                    }
                }
                case VALUE_NUMBER_FLOAT -> {
                    numbers = true;
                    integral = false;
                    doubles[count] = p.getDoubleValue();
                }
                case VALUE_TRUE, VALUE_FALSE -> {
                    booleans = true;
                    longs[count] = token == JsonToken.VALUE_TRUE ? 1 : 0;
                }
                case VALUE_STRING -> {
                    if (strings == null) {
                        strings = new ArrayList<>();
                    }
                    strings.add(p.getString().getBytes(StandardCharsets.UTF_8));
                }
                default -> throw new BadInputException("Input " + index + ": data may hold only numbers, booleans or "
                        + "strings, in arrays.");
            }
            count++;
        }

        Object as(Datatype type, String label) {
            int kinds = (numbers ? 1 : 0) + (booleans ? 1 : 0) + (strings != null ? 1 : 0);
            if (kinds > 1) {
                throw new BadInputException(label + ": data mixes numbers, booleans and strings.");
            }
            if (count == 0) {
                return empty(type);
            }
            return switch (type) {
                case BOOL -> {
                    require(booleans, label, "true or false");
                    boolean[] v = new boolean[count];
                    for (int i = 0; i < count; i++) {
                        v[i] = longs[i] != 0;
                    }
                    yield v;
                }
                case BYTES -> {
                    require(strings != null, label, "strings");
                    yield strings.toArray(new byte[0][]);
                }
                case FP32 -> {
                    require(numbers, label, "numbers");
                    float[] v = new float[count];
                    for (int i = 0; i < count; i++) {
                        v[i] = (float) doubles[i];
                    }
                    yield v;
                }
                case FP64 -> {
                    require(numbers, label, "numbers");
                    yield Arrays.copyOf(doubles, count);
                }
                case INT32 -> {
                    int[] v = new int[count];
                    long[] l = integers(label, Integer.MIN_VALUE, Integer.MAX_VALUE, type);
                    for (int i = 0; i < count; i++) {
                        v[i] = (int) l[i];
                    }
                    yield v;
                }
                case INT64 -> integers(label, Long.MIN_VALUE, Long.MAX_VALUE, type);
                case UINT8, INT8 -> {
                    long[] l = type == Datatype.UINT8 ? integers(label, 0, 255, type) : integers(label, -128, 127, type);
                    byte[] v = new byte[count];
                    for (int i = 0; i < count; i++) {
                        v[i] = (byte) l[i];
                    }
                    yield v;
                }
            };
        }

        private long[] integers(String label, long min, long max, Datatype type) {
            require(numbers && integral, label, "whole numbers");
            for (int i = 0; i < count; i++) {
                if (longs[i] < min || longs[i] > max) {
                    throw new BadInputException(label + ": " + longs[i] + " does not fit " + type + ".");
                }
            }
            return Arrays.copyOf(longs, count);
        }

        private static void require(boolean ok, String label, String what) {
            if (!ok) {
                throw new BadInputException(label + ": data must be " + what + " for its datatype.");
            }
        }

        private static Object empty(Datatype type) {
            return switch (type) {
                case BOOL -> new boolean[0];
                case BYTES -> new byte[0][];
                case FP32 -> new float[0];
                case FP64 -> new double[0];
                case INT32 -> new int[0];
                case INT64 -> new long[0];
                case UINT8, INT8 -> new byte[0];
            };
        }
    }
}
