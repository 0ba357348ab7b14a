package io.modelward.runtime.engine;

import java.util.Optional;

import ai.djl.ndarray.types.DataType;

/** The KServe V2 tensor datatypes this runtime accepts and returns, and their DJL counterparts. */
public enum Datatype {
    BOOL(DataType.BOOLEAN),
    UINT8(DataType.UINT8),
    INT8(DataType.INT8),
    INT32(DataType.INT32),
    INT64(DataType.INT64),
    FP32(DataType.FLOAT32),
    FP64(DataType.FLOAT64),
    /** Strings or raw bytes; for image models each element is an encoded image. Never sent to the model as is. */
    BYTES(DataType.STRING);

    private final DataType djl;

    Datatype(DataType djl) {
        this.djl = djl;
    }

    public DataType djl() {
        return djl;
    }

    public static Optional<Datatype> of(String name) {
        for (Datatype d : values()) {
            if (d.name().equals(name)) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }

    public static Optional<Datatype> of(DataType type) {
        for (Datatype d : values()) {
            if (d.djl == type) {
                return Optional.of(d);
            }
        }
        return Optional.empty();
    }
}
