package io.modelward.runtime.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.modelward.runtime.engine.BadInputException;
import io.modelward.runtime.engine.Datatype;
import io.modelward.runtime.engine.Tensor;

/**
 * The binary tail of a request using the binary tensor data extension: little-endian, row-major. FP32 and FP64 data
 * must be finite (NaN and infinity are outside what a model can take, as they are for JSON data) and BOOL bytes 0 or 1.
 */
final class BinaryTensorData {

    private final byte[] body;
    private int offset;

    BinaryTensorData(byte[] body, int jsonLength) {
        this.body = body;
        this.offset = jsonLength;
    }

    int offset() {
        return offset;
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
                for (int i = 0; i < elements; i++) {
                    if (!Float.isFinite(v[i])) {
                        throw JsonValues.outOfRange(label, i, String.valueOf(v[i]), type);
                    }
                }
                yield v;
            }
            case FP64 -> {
                double[] v = new double[elements];
                buffer.asDoubleBuffer().get(v);
                for (int i = 0; i < elements; i++) {
                    if (!Double.isFinite(v[i])) {
                        throw JsonValues.outOfRange(label, i, String.valueOf(v[i]), type);
                    }
                }
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
                    byte b = buffer.get();
                    if ((b & 0xfe) != 0) {
                        throw new BadInputException(label + ": element " + i + " is the byte " + (b & 0xff)
                                + ", but BOOL takes 0 (false) or 1 (true).");
                    }
                    v[i] = b != 0;
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

