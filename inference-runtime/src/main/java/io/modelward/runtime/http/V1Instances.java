package io.modelward.runtime.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.Datatype;
import io.modelward.runtime.engine.Tensor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * KServe V1 numbers: instances, each one item without the batch dimension as a nested number array, become one FP32
 * batch; the model's FP32 output rows become the predictions.
 */
final class V1Instances {

    private V1Instances() {
    }

    /** One FP32 batch of the instances; refuses ragged instances and elements that are no FP32 number. */
    static Tensor batch(String inputName, long[] declared, JsonNode instances) {
        long[] itemShape = shapeOf(instances.get(0));
        long itemLength = Tensor.elements(itemShape);
        float[] data = new float[Math.toIntExact(itemLength * instances.size())];
        int offset = 0;
        for (int i = 0; i < instances.size(); i++) {
            JsonNode instance = instances.get(i);
            if (!Arrays.equals(shapeOf(instance), itemShape)) {
                throw new BadInputException("Instance " + i + " has shape " + Arrays.toString(shapeOf(instance))
                        + ", unlike instance 0 " + Arrays.toString(itemShape) + ".");
            }
            String label = "Instance " + i + " of input '" + inputName + "'";
            int end = flatten(instance, data, offset, offset, label);
            if (end - offset != itemLength) {
                throw new BadInputException("Instance " + i + " is ragged: its rows differ in length.");
            }
            offset = end;
        }
        long[] shape = new long[itemShape.length + 1];
        shape[0] = instances.size();
        System.arraycopy(itemShape, 0, shape, 1, itemShape.length);
        if (declared.length > 1 && declared.length != shape.length) {
            throw new BadInputException("Each instance must have shape " + Arrays.toString(Arrays.copyOfRange(declared,
                    1, declared.length)) + " (-1: any size), not " + Arrays.toString(itemShape) + ".");
        }
        return new Tensor(inputName, Datatype.FP32, shape, data);
    }

    /** The predictions: one nested array per row of the model's (FP32) output. */
    static ObjectNode predictions(Tensor out) {
        ObjectNode response = V2Codec.JSON.createObjectNode();
        ArrayNode predictions = response.putArray("predictions");
        int rows = out.rows();
        float[] data = out.datatype() == Datatype.FP32 ? (float[]) out.data() : null;
        if (data == null) {
            throw new IllegalStateException("V1 predictions need an FP32 output, not " + out.datatype());
        }
        int itemLength = data.length / rows;
        long[] itemShape = out.itemShape();
        for (int r = 0; r < rows; r++) {
            predictions.add(nest(data, r * itemLength, itemShape, 0));
        }
        return response;
    }

    private static long[] shapeOf(JsonNode node) {
        List<Long> dims = new ArrayList<>();
        JsonNode n = node;
        while (n.isArray()) {
            dims.add((long) n.size());
            if (n.isEmpty()) {
                break;
            }
            n = n.get(0);
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    /** Copies the instance's numbers from {@code offset} on; elements are named by their flat index in it. */
    private static int flatten(JsonNode node, float[] into, int offset, int start, String label) {
        if (node.isArray()) {
            for (JsonNode child : node) {
                offset = flatten(child, into, offset, start, label);
            }
            return offset;
        }
        if (!node.isNumber()) {
            throw new BadInputException(label + ": element " + (offset - start) + " is " + node + ", not a number.");
        }
        if (offset >= into.length) {
            throw new BadInputException(label + " is ragged: its rows differ in length.");
        }
        double value = node.doubleValue();
        into[offset] = (float) value;
        if (Float.isInfinite(into[offset])) {
            throw JsonValues.outOfRange(label, offset - start, node.isBigInteger() ? node.toString()
                    : JsonValues.show(value), Datatype.FP32);
        }
        return offset + 1;
    }

    private static JsonNode nest(float[] data, int offset, long[] shape, int dim) {
        ArrayNode array = V2Codec.JSON.createArrayNode();
        if (dim == shape.length - 1 || shape.length == 0) {
            int n = shape.length == 0 ? 1 : (int) shape[dim];
            for (int i = 0; i < n; i++) {
                array.add(data[offset + i]);
            }
            return array;
        }
        long stride = Tensor.elements(Arrays.copyOfRange(shape, dim + 1, shape.length));
        for (int i = 0; i < shape[dim]; i++) {
            array.add(nest(data, (int) (offset + i * stride), shape, dim + 1));
        }
        return array;
    }
}
