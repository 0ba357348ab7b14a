package io.modelward.runtime.engine;

import java.util.Arrays;

/**
 * A named tensor in row-major order. {@code data} is a primitive array matching the datatype: {@code float[]} for
 * FP32, {@code double[]} for FP64, {@code int[]} for INT32, {@code long[]} for INT64, {@code byte[]} for UINT8 and
 * INT8, {@code boolean[]} for BOOL, {@code byte[][]} for BYTES.
 */
public record Tensor(String name, Datatype datatype, long[] shape, Object data) {

    public static long elements(long[] shape) {
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        return n;
    }

    /** The size of dimension 0: how many items this tensor holds in a batch. */
    public int rows() {
        return shape.length == 0 ? 1 : (int) shape[0];
    }

    /** The shape without the batch dimension. */
    public long[] itemShape() {
        return shape.length == 0 ? shape : Arrays.copyOfRange(shape, 1, shape.length);
    }

    public int length() {
        return java.lang.reflect.Array.getLength(data);
    }

    @Override
    public String toString() {
        return name + " " + datatype + Arrays.toString(shape);
    }
}
