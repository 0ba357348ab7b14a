package io.modelward.runtime;

import org.junit.jupiter.api.BeforeAll;

/** The whole V2/V1 protocol suite, unchanged, against the digits model exported to ONNX and run by ONNX Runtime. */
class OnnxV2ProtocolTest extends V2ProtocolTest {

    /** Hides the TorchScript set-up of the suite. */
    @BeforeAll
    static void load() throws Exception {
        runtime = TestRuntime.digitsOnnx();
        platform = "onnx_onnxv1";
    }
}
