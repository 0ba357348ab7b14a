package io.modelward.runtime.engine;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/**
 * Moves whole batches between Java arrays and libtorch: inputs become NDArrays in the predictor's own manager, and
 * outputs are copied out before that manager closes.
 */
final class TensorTranslator implements NoBatchifyTranslator<TensorBatch, TensorBatch> {

    @Override
    public NDList processInput(TranslatorContext ctx, TensorBatch batch) {
        NDManager manager = ctx.getNDManager();
        NDList list = new NDList(batch.tensors().size());
        for (Tensor t : batch.tensors()) {
            list.add(toNd(manager, t));
        }
        return list;
    }

    @Override
    public TensorBatch processOutput(TranslatorContext ctx, NDList list) {
        List<Tensor> outputs = new ArrayList<>(list.size());
        for (int i = 0; i < list.size(); i++) {
            outputs.add(fromNd("output" + i, list.get(i)));
        }
        return new TensorBatch(outputs);
    }

    static NDArray toNd(NDManager manager, Tensor t) {
        Shape shape = new Shape(t.shape());
        return switch (t.datatype()) {
            case FP32 -> manager.create((float[]) t.data(), shape);
            case FP64 -> manager.create((double[]) t.data(), shape);
            case INT32 -> manager.create((int[]) t.data(), shape);
            case INT64 -> manager.create((long[]) t.data(), shape);
            case BOOL -> manager.create((boolean[]) t.data(), shape);
            case UINT8, INT8 -> {
                byte[] bytes = (byte[]) t.data();
                ByteBuffer buffer = ByteBuffer.allocateDirect(bytes.length).put(bytes);
                buffer.rewind();
                yield manager.create(buffer, shape, t.datatype().djl());
            }
            case BYTES -> throw new BadInputException("BYTES tensors cannot be fed to the model directly.");
        };
    }

    static Tensor fromNd(String name, NDArray array) {
        long[] shape = array.getShape().getShape();
        DataType type = array.getDataType();
        return switch (type) {
            case FLOAT32 -> new Tensor(name, Datatype.FP32, shape, array.toFloatArray());
            case FLOAT64 -> new Tensor(name, Datatype.FP64, shape, array.toDoubleArray());
            case INT32 -> new Tensor(name, Datatype.INT32, shape, array.toIntArray());
            case INT64 -> new Tensor(name, Datatype.INT64, shape, array.toLongArray());
            case BOOLEAN -> new Tensor(name, Datatype.BOOL, shape, array.toBooleanArray());
            case UINT8, INT8 -> {
                ByteBuffer buffer = array.toByteBuffer();
                byte[] bytes = new byte[buffer.remaining()];
                buffer.get(bytes);
                yield new Tensor(name, type == DataType.UINT8 ? Datatype.UINT8 : Datatype.INT8, shape, bytes);
            }
            case FLOAT16, BFLOAT16 -> new Tensor(name, Datatype.FP32, shape, array.toType(DataType.FLOAT32, false)
                    .toFloatArray());
            default -> throw new IllegalStateException("The model returned a " + type + " tensor, which has no V2 "
                    + "datatype here.");
        };
    }
}
