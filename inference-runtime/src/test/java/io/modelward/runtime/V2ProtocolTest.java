package io.modelward.runtime;

import static io.modelward.runtime.TestRuntime.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The KServe V2 (Open Inference Protocol) REST surface, its V1 sibling, and every way to get a request wrong, on the
 * digits model as TorchScript on libtorch ({@link OnnxV2ProtocolTest} runs the same suite on ONNX Runtime).
 */
class V2ProtocolTest {

    static final String ZEROS = "[" + "0,".repeat(63) + "0]";
    static final String GOOD_INPUT = "{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], \"datatype\": \"FP32\", \"data\": "
            + ZEROS + "}";

    /** One V1 instance of the digits model, [1, 8, 8], all zeros. */
    static final String V1_ZEROS = "[[" + ("[" + "0, ".repeat(7) + "0]").repeat(8).replace("][", "], [") + "]]";

    static TestRuntime runtime;
    static String platform;

    @BeforeAll
    static void load() throws Exception {
        runtime = TestRuntime.digits();
        platform = "pytorch_torchscript";
    }

    @Test
    void answersHealthWithoutAToken() throws Exception {
        HttpResponse<String> live = runtime.send(HttpRequest.newBuilder(runtime.uri("/v2/health/live")).build());
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(json(live).path("live").asBoolean()).isTrue();
        HttpResponse<String> ready = runtime.send(HttpRequest.newBuilder(runtime.uri("/v2/health/ready")).build());
        assertThat(json(ready).path("ready").asBoolean()).isTrue();
        HttpResponse<String> server = runtime.send(HttpRequest.newBuilder(runtime.uri("/v2")).build());
        assertThat(json(server).path("name").asString()).isEqualTo("modelward-runtime");
        assertThat(json(server).has("extensions")).isTrue();
    }

    @Test
    void describesTheModel() throws Exception {
        for (String path : new String[] { "/v2/models/digits", "/v2/models/digits/versions/1" }) {
            JsonNode meta = json(runtime.get(path));
            assertThat(meta.path("name").asString()).isEqualTo("digits");
            assertThat(meta.path("platform").asString()).isEqualTo(platform);
            assertThat(meta.path("versions").toString()).isEqualTo("[\"1\"]");
            assertThat(meta.path("inputs").get(0).toString())
                    .isEqualTo("{\"name\":\"input0\",\"datatype\":\"FP32\",\"shape\":[-1,1,8,8]}");
            assertThat(meta.path("outputs").get(0).toString())
                    .isEqualTo("{\"name\":\"output0\",\"datatype\":\"FP32\",\"shape\":[-1,10]}");
        }
        JsonNode ready = json(runtime.get("/v2/models/digits/versions/1/ready"));
        assertThat(ready.path("ready").asBoolean()).isTrue();
        assertThat(json(runtime.get("/v1/models/digits")).path("ready").asBoolean()).isTrue();
        assertThat(json(runtime.get("/v1/models")).path("models").toString()).isEqualTo("[\"digits\"]");
    }

    @Test
    void echoesTheIdAndParametersAndFiltersOutputs() throws Exception {
        HttpResponse<String> response = runtime.post("/v2/models/digits/versions/1/infer", """
                {"id": "req-42", "parameters": {"purpose": "triage"}, "inputs": [%s],
                 "outputs": [{"name": "output0"}]}""".formatted(GOOD_INPUT));
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json(response);
        assertThat(body.path("id").asString()).isEqualTo("req-42");
        assertThat(body.path("model_name").asString()).isEqualTo("digits");
        assertThat(body.path("model_version").asString()).isEqualTo("1");
        assertThat(body.path("parameters").path("purpose").asString()).isEqualTo("triage");
        assertThat(body.path("outputs").get(0).path("datatype").asString()).isEqualTo("FP32");
        assertThat(response.headers().firstValue("X-Request-Id")).isPresent();
        HttpResponse<String> noId = runtime.post("/v2/models/digits/infer", "{\"inputs\": [" + GOOD_INPUT + "]}");
        assertThat(json(noId).has("id")).isFalse();
    }

    @Test
    void keepsTheCallersRequestId() throws Exception {
        HttpResponse<String> response = runtime.send(runtime.authorized("/v2/models/digits").header("X-Request-Id",
                "abc-123").GET().build());
        assertThat(response.headers().firstValue("X-Request-Id")).hasValue("abc-123");
    }

    static Stream<Arguments> badRequests() {
        String input = "{\"name\": \"input0\", \"shape\": %s, \"datatype\": \"%s\", \"data\": %s}";
        return Stream.of(
                Arguments.of("malformed JSON", "/v2/models/digits/infer", "{\"inputs\": [", 400, "Malformed JSON"),
                Arguments.of("not an object", "/v2/models/digits/infer", "[1, 2]", 400, "must be a JSON object"),
                Arguments.of("missing inputs", "/v2/models/digits/infer", "{\"id\": \"x\"}", 400, "'inputs' is required"),
                Arguments.of("empty inputs", "/v2/models/digits/infer", "{\"inputs\": []}", 400, "at least one tensor"),
                Arguments.of("input without data", "/v2/models/digits/infer",
                        "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1], \"datatype\": \"FP32\"}]}", 400,
                        "needs name, shape, datatype and data"),
                Arguments.of("unsupported datatype", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1,1,8,8]", "FP16", ZEROS) + "]}", 400,
                        "datatype 'FP16' is not supported"),
                Arguments.of("wrong datatype", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1,1,8,8]", "INT32", ZEROS) + "]}", 400,
                        "must be FP32, not INT32"),
                Arguments.of("shape and data disagree", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1,1,8,8]", "FP32", "[" + "0,".repeat(62) + "0]") + "]}",
                        400, "holds 64 elements, but its data has 63"),
                Arguments.of("wrong shape for the model", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1,1,4,16]", "FP32", ZEROS) + "]}", 400,
                        "this model takes [-1, 1, 8, 8]"),
                Arguments.of("negative dimension", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[-1,64]", "FP32", ZEROS) + "]}", 400, "non-negative"),
                Arguments.of("shape too large", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[4294967296, 4294967296]", "FP32", "[]") + "]}", 400,
                        "the shape is too large"),
                Arguments.of("unknown input name", "/v2/models/digits/infer",
                        "{\"inputs\": [" + GOOD_INPUT.replace("input0", "pixels") + "]}", 400,
                        "Unknown input 'pixels'"),
                Arguments.of("two inputs", "/v2/models/digits/infer",
                        "{\"inputs\": [" + GOOD_INPUT + "," + GOOD_INPUT + "]}", 400, "exactly one input"),
                Arguments.of("strings as FP32", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1]", "FP32", "[\"a\"]") + "]}", 400,
                        "Input 'input0': element 0 is a string, but FP32 takes numbers."),
                Arguments.of("a number beyond FP32", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1,1,8,8]", "FP32", ZEROS.replaceFirst("0,0,0,0,",
                                "0,0,0,1e39,")) + "]}", 400,
                        "Input 'input0': element 3 is 1e39, outside the range of FP32."),
                Arguments.of("a negative number beyond FP32, written as a whole number", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "FP32", "[0, -" + "9".repeat(40) + "]") + "]}", 400,
                        "Input 'input0': element 1 is -" + "9".repeat(40) + ", outside the range of FP32."),
                Arguments.of("a number beyond FP64", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "FP64", "[1, 1e400]") + "]}", 400,
                        "Input 'input0': element 1 is 1e400, outside the range of FP64."),
                Arguments.of("a fraction as INT32", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[3]", "INT32", "[1, 2, 2.5]") + "]}", 400,
                        "Input 'input0': element 2 is 2.5, but INT32 takes whole numbers"),
                Arguments.of("a whole number beyond INT32", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "INT32", "[0, 2147483648]") + "]}", 400,
                        "Input 'input0': element 1 is 2147483648, outside the range of INT32."),
                Arguments.of("a whole number beyond INT64", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "INT64", "[1, 9223372036854775808]") + "]}", 400,
                        "Input 'input0': element 1 is 9223372036854775808, outside the range of INT64."),
                Arguments.of("a value beyond UINT8", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "UINT8", "[1, 300]") + "]}", 400,
                        "Input 'input0': element 1 is 300, outside the range of UINT8."),
                Arguments.of("a negative UINT8", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[3]", "UINT8", "[0, 255, -1]") + "]}", 400,
                        "Input 'input0': element 2 is -1, outside the range of UINT8."),
                Arguments.of("a value beyond INT8", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "INT8", "[-128, 128]") + "]}", 400,
                        "Input 'input0': element 1 is 128, outside the range of INT8."),
                Arguments.of("booleans as FP32", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "FP32", "[false, true]") + "]}", 400,
                        "Input 'input0': element 0 is false, but FP32 takes numbers."),
                Arguments.of("a boolean among FP32 numbers", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[2]", "FP32", "[1, true]") + "]}", 400,
                        "Input 'input0': element 1 is true, but FP32 takes numbers."),
                Arguments.of("a number as BOOL", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[3]", "BOOL", "[true, false, 1]") + "]}", 400,
                        "Input 'input0': element 2 is 1, but BOOL takes true or false."),
                Arguments.of("a fraction as BOOL", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1]", "BOOL", "[0.5]") + "]}", 400,
                        "Input 'input0': element 0 is 0.5, but BOOL takes true or false."),
                Arguments.of("bytes that are not base64", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1]", "BYTES", "[\"%%%\"]") + "]}", 400, "base64"),
                Arguments.of("base64 that is no image", "/v2/models/digits/infer",
                        "{\"inputs\": [" + input.formatted("[1]", "BYTES", "[\"aGVsbG8=\"]") + "]}", 400,
                        "not an image"),
                Arguments.of("unknown output", "/v2/models/digits/infer",
                        "{\"inputs\": [" + GOOD_INPUT + "], \"outputs\": [{\"name\": \"logits\"}]}", 400,
                        "Unknown output 'logits'"),
                Arguments.of("unknown model", "/v2/models/nope/infer", "{\"inputs\": [" + GOOD_INPUT + "]}", 404,
                        "Model with name nope does not exist."),
                Arguments.of("unknown version", "/v2/models/digits/versions/7/infer",
                        "{\"inputs\": [" + GOOD_INPUT + "]}", 404, "has no version 7"),
                Arguments.of("V1 without instances", "/v1/models/digits:predict", "{\"inputs\": []}", 400,
                        "'instances' is required"),
                Arguments.of("V1 ragged instance", "/v1/models/digits:predict",
                        "{\"instances\": [[[1, 2], [3]]]}", 400, "ragged"),
                Arguments.of("V1 text instead of numbers", "/v1/models/digits:predict",
                        "{\"instances\": [[\"a\"]]}", 400, "not a number"),
                Arguments.of("V1 boolean instead of a number", "/v1/models/digits:predict",
                        "{\"instances\": [[0, 0, true]]}", 400,
                        "Instance 0 of input 'input0': element 2 is true, not a number."),
                Arguments.of("V1 number beyond FP32", "/v1/models/digits:predict",
                        "{\"instances\": [" + V1_ZEROS + ", " + V1_ZEROS.replaceFirst("0], \\[0, 0, 0, 0, 0, 0, 0, 0]",
                                "0], [0, 0, 0, 0, 0, 0, 0, -1e39]") + "]}",
                        400, "Instance 1 of input 'input0': element 15 is -1e39, outside the range of FP32."),
                Arguments.of("unknown endpoint", "/v3/models/digits/infer", "{}", 404, "No such endpoint"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRequests")
    void answersABadRequestWithItsStatusAndAPreciseError(String what, String path, String body, int status,
            String message) throws Exception {
        HttpResponse<String> response = runtime.post(path, body);
        assertThat(response.statusCode()).as(what).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
        assertThat(json(response).path("error").asString()).as(what).contains(message);
    }

    @Test
    void refusesNonImageBytesOnTheImageEndpoint() throws Exception {
        HttpResponse<String> response = runtime.post("/v1/models/digits:classify", "plain text".getBytes(),
                "application/octet-stream");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asString()).contains("not an image");
        HttpResponse<String> badTopK = runtime.post("/v1/models/digits:classify?topk=0", new byte[] { 1 },
                "image/png");
        assertThat(json(badTopK).path("error").asString()).contains("topk");
    }

    @Test
    void refusesAnImageThatDeclaresAbsurdDimensionsBeforeDecodingIt() throws Exception {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        png.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
        java.nio.ByteBuffer ihdr = java.nio.ByteBuffer.allocate(17).put("IHDR".getBytes()).putInt(100_000)
                .putInt(100_000).put((byte) 8).put((byte) 0).put((byte) 0).put((byte) 0).put((byte) 0);
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(ihdr.array());
        png.write(java.nio.ByteBuffer.allocate(4).putInt(13).array());
        png.write(ihdr.array());
        png.write(java.nio.ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
        HttpResponse<String> response = runtime.post("/v1/models/digits:classify", png.toByteArray(), "image/png");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asString()).contains("100000×100000").contains("megapixels");
    }

    @Test
    void refusesAnOversizedBodyWith413() throws Exception {
        byte[] big = new byte[1024 * 1024 + 1];
        HttpResponse<String> response = runtime.post("/v1/models/digits:classify", big, "image/png");
        assertThat(response.statusCode()).isEqualTo(413);
        assertThat(json(response).path("error").asString()).contains("larger than 1 MiB");
    }

    @Test
    void refusesInferenceWithoutTheInternalToken() throws Exception {
        HttpResponse<String> none = runtime.send(HttpRequest.newBuilder(runtime.uri("/v2/models/digits/infer"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"inputs\": [" + GOOD_INPUT + "]}")).build());
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v)
                .startsWith("Bearer"));
        assertThat(json(none).path("error").asString()).contains("requires its internal token");
        HttpResponse<String> wrong = runtime.send(HttpRequest.newBuilder(runtime.uri("/v1/models/digits:classify"))
                .header("Authorization", "Bearer not-the-token").POST(HttpRequest.BodyPublishers.ofString("x"))
                .build());
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(json(wrong).path("error").asString()).contains("wrong");
        HttpResponse<String> metadata = runtime.send(HttpRequest.newBuilder(runtime.uri("/v2/models/digits")).build());
        assertThat(metadata.statusCode()).isEqualTo(401);
    }

    @Test
    void refusesBinaryDataThatDoesNotMatchItsDeclaration() throws Exception {
        String header = "{\"inputs\": [{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], \"datatype\": \"FP32\", "
                + "\"parameters\": {\"binary_data_size\": 200}}]}";
        byte[] body = new byte[header.length() + 200];
        System.arraycopy(header.getBytes(), 0, body, 0, header.length());
        HttpResponse<String> response = runtime.send(runtime.authorized("/v2/models/digits/infer")
                .header("Inference-Header-Content-Length", String.valueOf(header.length()))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asString()).contains("needs 256 bytes of FP32");
        HttpResponse<String> outside = runtime.send(runtime.authorized("/v2/models/digits/infer")
                .header("Inference-Header-Content-Length", "99999")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
        assertThat(json(outside).path("error").asString()).contains("outside the body");
    }

    @Test
    void refusesBinaryDataThatNoModelCanTake() throws Exception {
        ByteBuffer fp32 = ByteBuffer.allocate(256).order(ByteOrder.LITTLE_ENDIAN).putFloat(4 * 5, Float.NaN);
        HttpResponse<String> nan = postBinary("[1, 1, 8, 8]", "FP32", fp32.array());
        assertThat(nan.statusCode()).isEqualTo(400);
        assertThat(json(nan).path("error").asString())
                .isEqualTo("Input 'input0': element 5 is NaN, outside the range of FP32.");
        fp32.putFloat(4 * 5, 0).putFloat(4 * 63, Float.NEGATIVE_INFINITY);
        assertThat(json(postBinary("[1, 1, 8, 8]", "FP32", fp32.array())).path("error").asString())
                .isEqualTo("Input 'input0': element 63 is -Infinity, outside the range of FP32.");
        ByteBuffer fp64 = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(8, Double.POSITIVE_INFINITY);
        assertThat(json(postBinary("[2]", "FP64", fp64.array())).path("error").asString())
                .isEqualTo("Input 'input0': element 1 is Infinity, outside the range of FP64.");
        HttpResponse<String> bool = postBinary("[3]", "BOOL", new byte[] { 1, 0, 2 });
        assertThat(bool.statusCode()).isEqualTo(400);
        assertThat(json(bool).path("error").asString())
                .isEqualTo("Input 'input0': element 2 is the byte 2, but BOOL takes 0 (false) or 1 (true).");
    }

    private static HttpResponse<String> postBinary(String shape, String datatype, byte[] data) throws Exception {
        byte[] header = ("{\"inputs\": [{\"name\": \"input0\", \"shape\": " + shape + ", \"datatype\": \"" + datatype
                + "\", \"parameters\": {\"binary_data_size\": " + data.length + "}}]}").getBytes();
        byte[] body = Arrays.copyOf(header, header.length + data.length);
        System.arraycopy(data, 0, body, header.length, data.length);
        return runtime.send(runtime.authorized("/v2/models/digits/infer")
                .header("Inference-Header-Content-Length", String.valueOf(header.length))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build());
    }

    /** Finite input this large overflows inside the digits network: every logit comes out NaN. */
    static final String OVERFLOWING = "[" + "3e38,".repeat(63) + "3e38]";

    @Test
    void aModelThatAnswersNaNForFiniteInputGets502NamingTheOutputAndTheElement() throws Exception {
        HttpResponse<String> v2 = runtime.post("/v2/models/digits/infer", "{\"inputs\": [" + GOOD_INPUT.replace(ZEROS,
                OVERFLOWING) + "]}");
        assertThat(v2.statusCode()).isEqualTo(502);
        assertThat(json(v2).path("error").asString())
                .isEqualTo("Model 'digits' produced NaN in output 'output0' at element 0.");
        HttpResponse<String> v1 = runtime.post("/v1/models/digits:predict", "{\"instances\": [" + V1_ZEROS + ", "
                + V1_ZEROS.replace(" 0", " 3e38").replace("[0", "[3e38") + "]}");
        assertThat(v1.statusCode()).isEqualTo(502);
        assertThat(json(v1).path("error").asString()).as("instance 1's first logit, after instance 0's ten")
                .isEqualTo("Model 'digits' produced NaN in output 'output0' at element 10.");
        HttpResponse<String> fine = runtime.post("/v2/models/digits/infer", "{\"inputs\": [" + GOOD_INPUT + "]}");
        assertThat(fine.statusCode()).isEqualTo(200);
    }

    @Test
    void refusesTheWrongMethod() throws Exception {
        HttpResponse<String> response = runtime.get("/v2/models/digits/infer");
        assertThat(response.statusCode()).isEqualTo(405);
        assertThat(json(response).path("error").asString()).contains("Use POST");
    }

    @Test
    void exposesPrometheusMetrics() throws Exception {
        runtime.post("/v2/models/digits/infer", "{\"inputs\": [" + GOOD_INPUT + "]}");
        runtime.post("/v2/models/digits/infer", "{\"inputs\": [");
        HttpResponse<String> metrics = runtime.send(HttpRequest.newBuilder(runtime.uri("/metrics")).build());
        // a handler counts its request until after the answer is sent, so the last one may still be ending
        for (int i = 0; i < 100 && !metrics.body().contains("modelward_inflight_requests{model=\"digits\"} 0\n"); i++) {
            Thread.sleep(20);
            metrics = runtime.send(HttpRequest.newBuilder(runtime.uri("/metrics")).build());
        }
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.body())
                .contains("modelward_requests_total{model=\"digits\",endpoint=\"v2_infer\",code=\"200\"}")
                .contains("modelward_requests_total{model=\"digits\",endpoint=\"v2_infer\",code=\"400\"}")
                .contains("modelward_request_duration_seconds_bucket{model=\"digits\",endpoint=\"v2_infer\",le=\"0.1\"}")
                .contains("modelward_queue_duration_seconds_count{model=\"digits\"}")
                .contains("modelward_batch_size_bucket{model=\"digits\",le=\"1\"}")
                .contains("modelward_model_load_seconds{model=\"digits\"}")
                .contains("modelward_inflight_requests{model=\"digits\"} 0\n")
                .doesNotContain("NaN");
    }
}
