package io.modelward.runtime;

import java.util.Locale;

/** How the model file is packaged, which also picks the engine: ONNX Runtime for ONNX, libtorch for the others. */
public enum ModelFormat {
    TORCHSCRIPT("PyTorch", "pytorch_torchscript"),
    MAR("PyTorch", "pytorch_torchscript"),
    ONNX("OnnxRuntime", "onnx_onnxv1");

    private final String engine;
    private final String platform;

    ModelFormat(String engine, String platform) {
        this.engine = engine;
        this.platform = platform;
    }

    /** The DJL engine that runs it. */
    public String engine() {
        return engine;
    }

    /** The KServe V2 {@code platform} of a model in this format. */
    public String platform() {
        return platform;
    }

    /** The format a file name suggests: {@code .mar} a TorchServe archive, {@code .onnx} ONNX, else TorchScript. */
    static ModelFormat guess(String fileName) {
        String name = fileName.toLowerCase(Locale.ROOT);
        return name.endsWith(".mar") ? MAR : name.endsWith(".onnx") ? ONNX : TORCHSCRIPT;
    }
}
