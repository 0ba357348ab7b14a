package io.modelward.runtime;

import static io.modelward.runtime.TestRuntime.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * A model that declares it may answer NaN or infinity ({@code output.allow-non-finite=true}) has such answers passed
 * on; without it they are a 502 ({@link V2ProtocolTest}). Its input is still checked.
 */
class NonFiniteOutputTest {

    static TestRuntime runtime;

    @BeforeAll
    static void start() throws Exception {
        runtime = TestRuntime.start(Digits.args("--token=" + TestRuntime.TOKEN, "--workers=1",
                "--output-allow-non-finite=true"));
    }

    @AfterAll
    static void stop() {
        runtime.close();
    }

    @Test
    void aModelThatMayAnswerNaNHasItsNaNPassedOnAsJsonStrings() throws Exception {
        HttpResponse<String> response = runtime.post("/v2/models/digits/infer", "{\"inputs\": ["
                + V2ProtocolTest.GOOD_INPUT.replace(V2ProtocolTest.ZEROS, V2ProtocolTest.OVERFLOWING) + "]}");
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode data = json(response).path("outputs").get(0).path("data");
        assertThat(data.size()).isEqualTo(10);
        assertThat(data).allSatisfy(v -> assertThat(v.asString()).isEqualTo("NaN"));
    }

    @Test
    void aModelThatMayAnswerNaNStillTakesOnlyNumbersInRange() throws Exception {
        HttpResponse<String> response = runtime.post("/v2/models/digits/infer", "{\"inputs\": ["
                + V2ProtocolTest.GOOD_INPUT.replace(V2ProtocolTest.ZEROS, "[1e39" + ",0".repeat(63) + "]") + "]}");
        assertThat(response.statusCode()).isEqualTo(400);
        assertThat(json(response).path("error").asString())
                .isEqualTo("Input 'input0': element 0 is 1e39, outside the range of FP32.");
    }

    @Test
    void theSettingIsAPropertyAFlagOrAVariableAndMustBeTrueOrFalse() {
        String[] args = { "--model-uri=/m.pt", "--sha256=" + "0".repeat(64) };
        assertThat(RuntimeConfig.parse(args, Map.of("MODELWARD_OUTPUT_ALLOW_NON_FINITE", "true")).processing())
                .containsEntry("output.allow-non-finite", "true");
        assertThat(Processing.load(Map.of(), null, Map.of()).allowNonFinite()).isFalse();
        assertThat(Processing.load(Map.of(), null, Map.of("output.allow-non-finite", "true")).allowNonFinite())
                .isTrue();
        assertThatThrownBy(() -> Processing.load(Map.of(), null, Map.of("output.allow-non-finite", "yes")))
                .hasMessage("output.allow-non-finite must be true or false, not 'yes'.");
    }
}
