package io.modelward.catalog;

import java.util.List;

/**
 * A model's inputs and outputs: name, KServe datatype and shape ({@code -1} for a dimension of any size). ONNX models
 * carry theirs, read at upload; TorchScript records no names, so its signature takes the names the uploader gave, else
 * ModelWard's convention ({@code input0}, {@code output0}, as the runtime names them), with the shape the input spec
 * implies after its preset and overrides ({@link InputShape}).
 *
 * @param source {@code MODEL} when read from the file, {@code DEFAULT} when derived
 */
public record ModelSignature(List<Tensor> inputs, List<Tensor> outputs, String source) {

    public static final String FROM_MODEL = "MODEL";
    public static final String DEFAULT = "DEFAULT";

    /** One input or output. */
    public record Tensor(String name, String datatype, List<Long> shape) {

        public Tensor {
            shape = List.copyOf(shape);
        }

        /** The shape as people read it: {@code [-1, 1, 8, 8]} with {@code ?} for dynamic dimensions. */
        public String shapeText() {
            return shape.stream().map(d -> d < 0 ? "?" : String.valueOf(d))
                    .collect(java.util.stream.Collectors.joining(" × ", "[", "]"));
        }
    }

    public ModelSignature {
        inputs = List.copyOf(inputs);
        outputs = List.copyOf(outputs);
    }

    /** What a TorchScript or .mar model is called with and returns, as far as the version's input spec tells. */
    static ModelSignature defaults(ModelFormat format, ImageInputSpec input) {
        return new ModelSignature(List.of(new Tensor(input.inputName() == null ? "input0" : input.inputName(), "FP32",
                InputShape.of(input, format))), List.of(new Tensor(input.outputName() == null ? "output0"
                : input.outputName(), "FP32", List.of(-1L, -1L))), DEFAULT);
    }
}
