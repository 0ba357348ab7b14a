package io.modelward.catalog;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import io.modelward.governance.ProblemException;

/**
 * Reads an ONNX model's signature straight from its protobuf encoding, streaming, without loading the weights or any
 * native library: {@code ModelProto.graph} (field 7), its {@code input} (11) and {@code output} (12) value infos with
 * their tensor element type and shape, minus the graph's {@code initializer}s (5), which older exporters also list as
 * inputs. A file that is not a valid protobuf, or holds no graph, no inputs or no outputs, is refused.
 */
final class OnnxModelReader {

    private static final int WIRE_VARINT = 0;
    private static final int WIRE_FIXED64 = 1;
    private static final int WIRE_LENGTH = 2;
    private static final int WIRE_FIXED32 = 5;
    /** ONNX TensorProto.DataType codes to KServe datatypes; index is the code. */
    private static final String[] DATATYPES = { null, "FP32", "UINT8", "INT8", "UINT16", "INT16", "INT32", "INT64",
            "BYTES", "BOOL", "FP16", "FP64", "UINT32", "UINT64", null, null, "BF16" };
    private static final int MAX_TENSORS = 1000;

    private OnnxModelReader() {
    }

    static ModelSignature read(Path file, String fileName) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            Reader model = new Reader(in, Files.size(file));
            boolean graphSeen = false;
            List<ModelSignature.Tensor> inputs = new ArrayList<>();
            List<ModelSignature.Tensor> outputs = new ArrayList<>();
            Set<String> initializers = new HashSet<>();
            while (model.hasMore()) {
                long tag = model.varint();
                if (tag >>> 3 == 7 && (tag & 7) == WIRE_LENGTH) {
                    graphSeen = true;
                    Reader graph = model.nested();
                    while (graph.hasMore()) {
                        long field = graph.varint();
                        int number = (int) (field >>> 3);
                        if ((number == 11 || number == 12) && (field & 7) == WIRE_LENGTH) {
                            (number == 11 ? inputs : outputs).add(valueInfo(graph.nested()));
                        }
                        else if (number == 5 && (field & 7) == WIRE_LENGTH) {
                            initializers.add(initializerName(graph.nested()));
                        }
                        else {
                            graph.skip(field);
                        }
                        if (inputs.size() + outputs.size() > MAX_TENSORS) {
                            throw invalid(fileName, "it declares more than " + MAX_TENSORS + " inputs and outputs");
                        }
                    }
                }
                else {
                    model.skip(tag);
                }
            }
            if (!graphSeen) {
                throw invalid(fileName, "it has no graph");
            }
            inputs.removeIf(tensor -> initializers.contains(tensor.name()));
            if (inputs.isEmpty() || outputs.isEmpty()) {
                throw invalid(fileName, "its graph has " + inputs.size() + " inputs and " + outputs.size() + " outputs");
            }
            return new ModelSignature(inputs, outputs, ModelSignature.FROM_MODEL);
        }
        catch (Malformed ex) {
            throw invalid(fileName, ex.getMessage());
        }
    }

    private static ProblemException invalid(String fileName, String why) {
        return ProblemException.unprocessable("invalid-onnx", "'" + fileName + "' is not a usable ONNX model: " + why
                + ". Export it with torch.onnx.export or an ONNX converter.");
    }

    /** ValueInfoProto: name (1), type (2: TypeProto, tensor_type 1: elem_type 1, shape 2: dim 1). */
    private static ModelSignature.Tensor valueInfo(Reader info) throws IOException {
        String name = "";
        String datatype = "UNKNOWN";
        List<Long> shape = new ArrayList<>();
        while (info.hasMore()) {
            long field = info.varint();
            if (field >>> 3 == 1 && (field & 7) == WIRE_LENGTH) {
                name = info.string();
            }
            else if (field >>> 3 == 2 && (field & 7) == WIRE_LENGTH) {
                Reader type = info.nested();
                while (type.hasMore()) {
                    long typeField = type.varint();
                    if (typeField >>> 3 == 1 && (typeField & 7) == WIRE_LENGTH) {
                        Reader tensor = type.nested();
                        while (tensor.hasMore()) {
                            long tensorField = tensor.varint();
                            if (tensorField >>> 3 == 1 && (tensorField & 7) == WIRE_VARINT) {
                                long code = tensor.varint();
                                datatype = code > 0 && code < DATATYPES.length && DATATYPES[(int) code] != null
                                        ? DATATYPES[(int) code] : "UNKNOWN";
                            }
                            else if (tensorField >>> 3 == 2 && (tensorField & 7) == WIRE_LENGTH) {
                                shape = dims(tensor.nested());
                            }
                            else {
                                tensor.skip(tensorField);
                            }
                        }
                    }
                    else {
                        type.skip(typeField);
                    }
                }
            }
            else {
                info.skip(field);
            }
        }
        if (name.isEmpty()) {
            throw new Malformed("an input or output has no name");
        }
        return new ModelSignature.Tensor(name, datatype, shape);
    }

    /** TensorShapeProto: dim (1: dim_value 1, or dim_param 2 for a named, dynamic dimension). */
    private static List<Long> dims(Reader shape) throws IOException {
        List<Long> dims = new ArrayList<>();
        while (shape.hasMore()) {
            long field = shape.varint();
            if (field >>> 3 == 1 && (field & 7) == WIRE_LENGTH) {
                Reader dim = shape.nested();
                long value = -1;
                while (dim.hasMore()) {
                    long dimField = dim.varint();
                    if (dimField >>> 3 == 1 && (dimField & 7) == WIRE_VARINT) {
                        value = dim.varint();
                    }
                    else {
                        dim.skip(dimField);
                    }
                }
                dims.add(value);
            }
            else {
                shape.skip(field);
            }
        }
        return dims;
    }

    /** TensorProto: name (8); its data is skipped without being read into memory. */
    private static String initializerName(Reader tensor) throws IOException {
        String name = "";
        while (tensor.hasMore()) {
            long field = tensor.varint();
            if (field >>> 3 == 8 && (field & 7) == WIRE_LENGTH) {
                name = tensor.string();
            }
            else {
                tensor.skip(field);
            }
        }
        return name;
    }

    /** The protobuf wire format broken: truncated, a bad wire type, or a length past its message's end. */
    private static final class Malformed extends IOException {
        Malformed(String message) {
            super(message);
        }
    }

    /** A message of known length within the stream; nested messages share the stream and check their bounds. */
    private static final class Reader {

        private final InputStream in;
        private final long[] position;
        private final long end;

        Reader(InputStream in, long length) {
            this(in, new long[1], length);
        }

        private Reader(InputStream in, long[] position, long end) {
            this.in = in;
            this.position = position;
            this.end = end;
        }

        boolean hasMore() {
            return position[0] < end;
        }

        long varint() throws IOException {
            long value = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                int b = read();
                value |= (long) (b & 0x7f) << shift;
                if ((b & 0x80) == 0) {
                    return value;
                }
            }
            throw new Malformed("a varint is longer than 10 bytes");
        }

        Reader nested() throws IOException {
            long length = length();
            return new Reader(in, position, position[0] + length);
        }

        String string() throws IOException {
            long length = length();
            if (length > 4096) {
                throw new Malformed("a name is longer than 4096 bytes");
            }
            byte[] bytes = in.readNBytes((int) length);
            if (bytes.length != length) {
                throw new Malformed("the file ends inside a name");
            }
            position[0] += length;
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip(long tag) throws IOException {
            if (tag >>> 3 == 0) {
                throw new Malformed("field number 0 at byte " + position[0]);
            }
            switch ((int) (tag & 7)) {
                case WIRE_VARINT -> varint();
                case WIRE_FIXED64 -> skipBytes(8);
                case WIRE_LENGTH -> skipBytes(length());
                case WIRE_FIXED32 -> skipBytes(4);
                default -> throw new Malformed("wire type " + (tag & 7) + " at byte " + position[0]);
            }
        }

        private long length() throws IOException {
            long length = varint();
            if (length < 0 || position[0] + length > end) {
                throw new Malformed("a length of " + length + " runs past the end of its message");
            }
            return length;
        }

        private void skipBytes(long count) throws IOException {
            if (position[0] + count > end) {
                throw new Malformed("a field runs past the end of its message");
            }
            long left = count;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new Malformed("the file ends inside a field");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
            position[0] += count;
        }

        private int read() throws IOException {
            if (position[0] >= end) {
                throw new Malformed("a field runs past the end of its message");
            }
            int b = in.read();
            if (b < 0) {
                throw new Malformed("the file ends inside a field");
            }
            position[0]++;
            return b;
        }
    }
}
