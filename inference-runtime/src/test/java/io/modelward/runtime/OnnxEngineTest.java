package io.modelward.runtime;

import static io.modelward.runtime.TestRuntime.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.modelward.runtime.engine.ServedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The second engine: the digits CNN exported to ONNX runs on ONNX Runtime and agrees with PyTorch on every committed
 * test image; its V2 metadata is read from the graph; a file that is not an ONNX model is refused at start.
 */
class OnnxEngineTest {

    /** ONNX Runtime against Debian's torch 1.13: the same arithmetic up to float rounding. */
    static final float TOLERANCE = 1e-5f;

    static List<Digits.Sample> samples;
    static TestRuntime onnx;

    @BeforeAll
    static void load() throws Exception {
        samples = Digits.samples();
        onnx = TestRuntime.digitsOnnx();
    }

    @Test
    void givesThePyTorchLogitsAndArgmaxForEveryTestImage() throws Exception {
        for (Digits.Sample s : samples) {
            JsonNode response = json(onnx.post("/v2/models/digits/infer", """
                    {"inputs": [{"name": "input0", "shape": [1, 1, 8, 8], "datatype": "FP32", "data": %s}]}"""
                    .formatted(java.util.Arrays.toString(s.pixels()))));
            JsonNode logits = response.path("outputs").get(0).path("data");
            assertThat(logits.size()).isEqualTo(10);
            int best = 0;
            for (int c = 0; c < 10; c++) {
                assertThat(logits.get(c).floatValue()).as(s.file() + " class " + c)
                        .isCloseTo(s.logits()[c], within(TOLERANCE));
                best = logits.get(c).floatValue() > logits.get(best).floatValue() ? c : best;
            }
            assertThat(best).as(s.file()).isEqualTo(s.predicted());
        }
    }

    @Test
    void ranksThePyTorchPredictionFirstOnTheImageEndpoint() throws Exception {
        for (Digits.Sample s : samples) {
            JsonNode top = json(onnx.post("/v1/models/digits:classify?topk=1", s.png(), "image/png"))
                    .path("predictions").get(0);
            assertThat(top.path("label").asString()).as(s.file()).isEqualTo(String.valueOf(s.predicted()));
            assertThat(top.path("probability").floatValue())
                    .isCloseTo(ServedModel.softmax(s.logits())[s.predicted()], within(TOLERANCE));
        }
    }

    @Test
    void reportsThePlatformAndTheGraphsOwnInputAndOutput() throws Exception {
        JsonNode meta = json(onnx.get("/v2/models/digits"));
        assertThat(meta.path("platform").asString()).isEqualTo("onnx_onnxv1");
        assertThat(meta.path("inputs").toString())
                .isEqualTo("[{\"name\":\"input0\",\"datatype\":\"FP32\",\"shape\":[-1,1,8,8]}]");
        assertThat(meta.path("outputs").toString())
                .isEqualTo("[{\"name\":\"output0\",\"datatype\":\"FP32\",\"shape\":[-1,10]}]");
    }

    @Test
    void refusesToStartOnAFileThatIsNotAnOnnxModel(@TempDir Path dir) throws Exception {
        Path garbage = Files.write(dir.resolve("broken.onnx"), "not a protobuf graph at all".getBytes());
        assertThatThrownBy(() -> TestRuntime.start(Digits.args(garbage)))
                .isInstanceOf(StartupException.class).hasMessageContaining("ONNX Runtime cannot read broken.onnx");
        assertThatThrownBy(() -> TestRuntime.start(Digits.args(Digits.MODEL, "--format=ONNX")))
                .isInstanceOf(StartupException.class).hasMessageContaining("zip archive, not an ONNX model");
    }
}
