package io.modelward.runtime.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import ai.onnxruntime.NodeInfo;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import ai.onnxruntime.TensorInfo;
import io.modelward.runtime.StartupException;

/**
 * An ONNX model's real inputs and outputs, as ONNX Runtime reads them from the graph: names, datatypes and shapes
 * ({@code -1} for dynamic dimensions such as the batch). This is what V2 metadata reports for an ONNX model.
 */
final class OnnxSignature {

    record Signature(List<ServedModel.TensorMeta> inputs, List<ServedModel.TensorMeta> outputs) {
    }

    private OnnxSignature() {
    }

    static Signature read(Path model) {
        // DJL's engine creates the process's one OrtEnvironment (with its thread settings); this reuses it
        ai.djl.engine.Engine.getEngine("OnnxRuntime");
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                OrtSession session = environment.createSession(model.toString(), options)) {
            return new Signature(metas("input", session.getInputInfo()), metas("output", session.getOutputInfo()));
        }
        catch (OrtException ex) {
            throw new StartupException("ONNX Runtime cannot read " + model.getFileName() + ": "
                    + BatchingEngine.firstLine(ex), ex);
        }
    }

    private static List<ServedModel.TensorMeta> metas(String kind, Map<String, NodeInfo> nodes) {
        List<ServedModel.TensorMeta> metas = new ArrayList<>();
        for (NodeInfo node : nodes.values()) {
            if (!(node.getInfo() instanceof TensorInfo tensor)) {
                throw new StartupException("The ONNX model's " + kind + " '" + node.getName() + "' is a "
                        + node.getInfo().getClass().getSimpleName() + ", not a tensor; ModelWard serves tensors only.");
            }
            metas.add(new ServedModel.TensorMeta(node.getName(), datatype(kind, node.getName(), tensor),
                    tensor.getShape()));
        }
        return List.copyOf(metas);
    }

    private static Datatype datatype(String kind, String name, TensorInfo tensor) {
        return switch (tensor.type) {
            case FLOAT -> Datatype.FP32;
            case DOUBLE -> Datatype.FP64;
            case INT8 -> Datatype.INT8;
            case UINT8 -> Datatype.UINT8;
            case INT32 -> Datatype.INT32;
            case INT64 -> Datatype.INT64;
            case BOOL -> Datatype.BOOL;
            case STRING -> Datatype.BYTES;
            default -> throw new StartupException("The ONNX model's " + kind + " '" + name + "' has the element type "
                    + tensor.type + ", which the V2 protocol here does not carry (FP32, FP64, INT8, UINT8, INT32, "
                    + "INT64, BOOL or BYTES).");
        };
    }
}
