package io.modelward.runtime;

import static io.modelward.runtime.TestRuntime.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import io.modelward.runtime.engine.ServedModel;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The committed test images give the logits PyTorch computed for them, through every entry point of the runtime:
 * V2 tensors (flat, nested, batched, base64 images), V1 instances, the image endpoint and a TorchServe archive.
 */
class DigitsReproducePyTorchTest {

    /** libtorch 2.7 against Debian's torch 1.13: the same arithmetic up to float rounding. */
    static final float TOLERANCE = 1e-5f;

    static List<Digits.Sample> samples;
    static TestRuntime runtime;

    @BeforeAll
    static void load() throws Exception {
        samples = Digits.samples();
        runtime = TestRuntime.digits();
    }

    @Test
    void v2TensorsGiveThePyTorchLogits() throws Exception {
        for (Digits.Sample s : samples) {
            JsonNode response = json(runtime.post("/v2/models/digits/infer", """
                    {"inputs": [{"name": "input0", "shape": [1, 1, 8, 8], "datatype": "FP32", "data": %s}]}"""
                    .formatted(flat(s.pixels()))));
            JsonNode out = response.path("outputs").get(0);
            assertThat(out.path("name").asString()).isEqualTo("output0");
            assertThat(out.path("shape").toString()).isEqualTo("[1,10]");
            assertLogits(out.path("data"), s.logits(), s.file());
        }
    }

    @Test
    void nestedDataAndABatchOfAllImagesGiveTheSameLogits() throws Exception {
        StringBuilder nested = new StringBuilder("[");
        for (int i = 0; i < samples.size(); i++) {
            nested.append(i == 0 ? "" : ",").append("[").append(rows(samples.get(i).pixels())).append("]");
        }
        JsonNode response = json(runtime.post("/v2/models/digits/infer", """
                {"inputs": [{"name": "input0", "shape": [%d, 1, 8, 8], "datatype": "FP32", "data": %s]}]}"""
                .formatted(samples.size(), nested)));
        JsonNode data = response.path("outputs").get(0).path("data");
        assertThat(data.size()).isEqualTo(10 * samples.size());
        for (int i = 0; i < samples.size(); i++) {
            for (int c = 0; c < 10; c++) {
                assertThat(data.get(i * 10 + c).floatValue()).as(samples.get(i).file())
                        .isCloseTo(samples.get(i).logits()[c], within(TOLERANCE));
            }
        }
    }

    @Test
    void theBinaryTensorExtensionGivesTheSameLogits() throws Exception {
        Digits.Sample s = samples.get(5);
        String header = "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 256}}]}";
        java.nio.ByteBuffer body = java.nio.ByteBuffer.allocate(header.length() + 256)
                .order(java.nio.ByteOrder.LITTLE_ENDIAN);
        body.put(header.getBytes(StandardCharsets.UTF_8));
        for (float v : s.pixels()) {
            body.putFloat(v);
        }
        var response = runtime.send(runtime.authorized("/v2/models/digits/infer")
                .header("Content-Type", "application/octet-stream")
                .header("Inference-Header-Content-Length", String.valueOf(header.length()))
                .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(body.array())).build());
        assertLogits(json(response).path("outputs").get(0).path("data"), s.logits(), s.file());
    }

    @Test
    void v2BytesInputOfBase64ImagesGivesTheSameLogits() throws Exception {
        Digits.Sample a = samples.get(0);
        Digits.Sample b = samples.get(1);
        JsonNode response = json(runtime.post("/v2/models/digits/infer", """
                {"inputs": [{"name": "input0", "shape": [2], "datatype": "BYTES", "data": ["%s", "%s"]}]}"""
                .formatted(base64(a.png()), base64(b.png()))));
        JsonNode out = response.path("outputs").get(0);
        assertThat(out.path("shape").toString()).isEqualTo("[2,10]");
        for (int c = 0; c < 10; c++) {
            assertThat(out.path("data").get(c).floatValue()).isCloseTo(a.logits()[c], within(TOLERANCE));
            assertThat(out.path("data").get(10 + c).floatValue()).isCloseTo(b.logits()[c], within(TOLERANCE));
        }
    }

    @Test
    void v1InstancesGiveThePyTorchLogits() throws Exception {
        StringBuilder instances = new StringBuilder();
        for (int i = 0; i < 5; i++) {
            instances.append(i == 0 ? "" : ",").append("[").append(rows(samples.get(i).pixels())).append("]");
        }
        JsonNode response = json(runtime.post("/v1/models/digits:predict", "{\"instances\": [" + instances + "]}"));
        for (int i = 0; i < 5; i++) {
            assertLogits(response.path("predictions").get(i), samples.get(i).logits(), samples.get(i).file());
        }
        JsonNode images = json(runtime.post("/v1/models/digits:predict", "{\"instances\": [{\"b64\": \""
                + base64(samples.get(7).png()) + "\"}]}"));
        assertLogits(images.path("predictions").get(0), samples.get(7).logits(), samples.get(7).file());
    }

    @Test
    void theImageEndpointRanksThePyTorchPrediction() throws Exception {
        for (Digits.Sample s : samples) {
            JsonNode response = json(runtime.post("/v1/models/digits:classify?topk=3", s.png(), "image/png"));
            JsonNode top = response.path("predictions").get(0);
            assertThat(top.path("index").asInt()).as(s.file()).isEqualTo(s.predicted());
            assertThat(top.path("label").asString()).isEqualTo(String.valueOf(s.predicted()));
            assertThat(top.path("probability").floatValue())
                    .isCloseTo(ServedModel.softmax(s.logits())[s.predicted()], within(TOLERANCE));
            assertThat(response.path("predictions").size()).isEqualTo(3);
        }
    }

    @Test
    void theImageEndpointTakesAMultipartUpload() throws Exception {
        Digits.Sample s = samples.get(3);
        String boundary = "----modelward" + System.nanoTime();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"" + s.file()
                + "\"\r\nContent-Type: image/png\r\n\r\n").getBytes(StandardCharsets.UTF_8));
        body.write(s.png());
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        JsonNode response = json(runtime.post("/v1/models/digits:classify", body.toByteArray(),
                "multipart/form-data; boundary=" + boundary));
        assertThat(response.path("predictions").get(0).path("index").asInt()).isEqualTo(s.predicted());
        assertThat(response.path("predictions").size()).as("top-k from the model's properties").isEqualTo(5);
    }

    @Test
    void aTorchServeArchiveServesTheSamePredictions(@TempDir Path dir) throws Exception {
        Path mar = Digits.mar(dir, Map.of());
        try (TestRuntime fromMar = TestRuntime.start(List.of("--model-uri=" + mar.toUri(),
                "--sha256=" + Digits.sha256(mar), "--model-name=digits-mar", "--work-dir=" + dir.resolve("work"),
                "--host=127.0.0.1", "--port=0", "--workers=1"))) {
            for (Digits.Sample s : samples.subList(0, 10)) {
                JsonNode response = json(fromMar.post("/v1/models/digits-mar:classify", s.png(), "image/png"));
                JsonNode top = response.path("predictions").get(0);
                assertThat(top.path("label").asString()).as("label from index_to_name.json")
                        .isEqualTo("digit-" + s.predicted());
                assertThat(top.path("probability").floatValue())
                        .isCloseTo(ServedModel.softmax(s.logits())[s.predicted()], within(TOLERANCE));
            }
        }
    }

    private static void assertLogits(JsonNode data, float[] expected, String what) {
        assertThat(data.size()).isEqualTo(expected.length);
        int argmax = 0;
        for (int c = 0; c < expected.length; c++) {
            assertThat(data.get(c).floatValue()).as(what + " logit " + c).isCloseTo(expected[c], within(TOLERANCE));
            argmax = data.get(c).floatValue() > data.get(argmax).floatValue() ? c : argmax;
        }
        int expectedArgmax = 0;
        for (int c = 0; c < expected.length; c++) {
            expectedArgmax = expected[c] > expected[expectedArgmax] ? c : expectedArgmax;
        }
        assertThat(argmax).as(what + " top class").isEqualTo(expectedArgmax);
    }

    static String flat(float[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            s.append(i == 0 ? "" : ",").append(values[i]);
        }
        return s.append("]").toString();
    }

    /** One image as nested rows: [[r0...], [r1...], ...], for a [1, 8, 8] item. */
    static String rows(float[] values) {
        StringBuilder s = new StringBuilder("[");
        for (int y = 0; y < 8; y++) {
            s.append(y == 0 ? "[" : ",[");
            for (int x = 0; x < 8; x++) {
                s.append(x == 0 ? "" : ",").append(values[y * 8 + x]);
            }
            s.append("]");
        }
        return s.append("]").toString();
    }

    static String base64(byte[] bytes) {
        return Base64.getEncoder().encodeToString(bytes);
    }
}
