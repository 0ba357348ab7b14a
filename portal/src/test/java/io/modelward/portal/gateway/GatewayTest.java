package io.modelward.portal.gateway;

import static io.modelward.portal.TestData.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.multipart;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

import javax.imageio.ImageIO;

import io.modelward.deployer.DeploymentService;
import io.modelward.governance.Actor;
import io.modelward.governance.AuditVerifier;
import io.modelward.governance.Role;
import io.modelward.portal.PortalTest;
import io.modelward.portal.TestData;
import org.assertj.core.data.Offset;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.mock.web.MockMultipartFile;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The gateway with the real runtime (local backend, the committed digits model) and the real database: answers match
 * what PyTorch computed, every request (answered, refused or failed) has exactly one audit row with its outcome, the
 * chain verifies, and when the audit trail cannot be written the model's answer is withheld.
 */
@PortalTest
class GatewayTest {

    static final Path DIGITS = Path.of(System.getProperty("modelward.models.dir", "../tools/models")).resolve("digits");
    static final JsonMapper json = JsonMapper.builder().build();
    static String model;

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Autowired
    DeploymentService deployments;

    @Autowired
    AuditVerifier verifier;

    @BeforeEach
    void deployDigitsOnce() throws Exception {
        if (model != null) {
            return;
        }
        String name = TestData.unique("digits");
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content("""
                {"name": "%s", "displayName": "Digits", "task": "IMAGE_CLASSIFICATION"}""".formatted(name)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/" + name + "/versions").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"version": "1.0", "format": "TORCHSCRIPT", "license": "MIT", "provenance": {"sourceType": "UPLOAD"},
                         "input": {"imageSize": 8, "resizeTo": 8, "grayscale": true, "mean": [0], "std": [1]}}"""))
                .andExpect(status().isCreated());
        for (String[] file : new String[][] { { "model", "digits.pt" }, { "labels", "synset.txt" } }) {
            mvc.perform(put("/api/models/" + name + "/versions/1.0/artifacts/" + file[0] + "?fileName=" + file[1])
                    .with(as("alice")).contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .content(Files.readAllBytes(DIGITS.resolve(file[1])))).andExpect(status().isCreated());
        }
        mvc.perform(post("/api/models/" + name + "/versions/1.0/submit").with(as("alice"))).andExpect(status().isOk());
        mvc.perform(post("/api/models/" + name + "/versions/1.0/approve").with(as("bob"))).andExpect(status().isOk());
        mvc.perform(post("/api/deployments").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content("""
                {"name": "%s", "model": "%s", "version": "1.0", "target": "LOCAL"}""".formatted(name, name)))
                .andExpect(status().isCreated());
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(deployments.view(name).status().name()).as(deployments.view(name).message()).isEqualTo("READY"));
        model = name;
    }

    @Test
    void classifiesAnImageAsPyTorchDidAndAuditsIt() throws Exception {
        String id = UUID.randomUUID().toString();
        byte[] png = Files.readAllBytes(DIGITS.resolve("test-images/000-9.png"));
        MockHttpServletResponse response = mvc.perform(post("/api/models/" + model + "/classify?topk=3")
                .with(as("robot")).header("X-Request-Id", id).header("X-Purpose-Of-Use", "TREAT")
                .contentType(MediaType.IMAGE_PNG).content(png)).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        assertThat(response.getHeader("X-Request-Id")).isEqualTo(id);
        JsonNode top = json.readTree(response.getContentAsString()).path("predictions");
        assertThat(top.size()).isEqualTo(3);
        assertThat(top.path(0).path("label").asString()).isEqualTo("9");

        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("actor_subject", "robot").containsEntry("action", "INFER")
                .containsEntry("model", model).containsEntry("version", "1.0").containsEntry("deployment", model)
                .containsEntry("http_status", 200).containsEntry("outcome", "OK").containsEntry("purpose", "TREAT")
                .containsEntry("input_sha256", sha256(png)).containsEntry("input_size", (long) png.length)
                .containsEntry("content_type", "image/png")
                .containsEntry("artifact_sha256", sha256(Files.readAllBytes(DIGITS.resolve("digits.pt"))));
        assertThat((String) row.get("output_summary")).startsWith("9 (0.");
        assertThat(row.get("output_sha256")).isEqualTo(sha256(response.getContentAsByteArray()));
    }

    @Test
    void answersV2TensorsWithPyTorchsLogitsAndEchoesTheRequestsId() throws Exception {
        JsonNode expected = json.readTree(DIGITS.resolve("expected.json").toFile()).path("images").path(0);
        String id = "v2-" + UUID.randomUUID();
        String body = "{\"id\": \"" + id + "\", \"inputs\": [{\"name\": \"input0\", \"shape\": [1, 1, 8, 8], "
                + "\"datatype\": \"FP32\", \"data\": " + pixels(expected.path("file").asString()) + "}]}";
        MockHttpServletResponse response = mvc.perform(post("/v2/models/" + model + "/infer").with(as("robot"))
                .contentType(MediaType.APPLICATION_JSON).content(body)).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
        JsonNode answer = json.readTree(response.getContentAsString());
        assertThat(answer.path("id").asString()).isEqualTo(id);
        assertThat(response.getHeader("X-Request-Id")).isEqualTo(id);
        JsonNode logits = answer.path("outputs").path(0).path("data");
        for (int i = 0; i < 10; i++) {
            assertThat(logits.path(i).asDouble()).isCloseTo(expected.path("logits").path(i).asDouble(),
                    Offset.offset(1e-4));
        }
        assertThat((String) row(id).get("output_summary")).contains("argmax " + expected.path("predicted").asInt());

        MockHttpServletResponse v1 = mvc.perform(post("/v1/models/" + model + ":predict").with(as("alice"))
                .header("X-Request-Id", "v1-" + id).contentType(MediaType.APPLICATION_JSON)
                .content("{\"instances\": [" + pixels(expected.path("file").asString()).replace("[[[[", "[[[")
                        .replace("]]]]", "]]]") + "]}"))
                .andReturn().getResponse();
        assertThat(v1.getStatus()).as(v1.getContentAsString()).isEqualTo(200);
        assertThat(row("v1-" + id)).containsEntry("actor_subject", "alice").containsEntry("outcome", "OK");
    }

    @Test
    void auditsEveryKindOfFailureWithItsOutcome() throws Exception {
        expectAudited(post("/v2/models/no-such-model/infer").with(as("robot")).contentType(MediaType.APPLICATION_JSON)
                .content("{}"), 404, "CLIENT_ERROR", "robot", "is not deployed");
        expectAudited(post("/v2/models/" + model + "/infer").with(as("robot")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"inputs\": ["), 400, "CLIENT_ERROR", "robot", "error: ");
        expectAudited(post("/v2/models/" + model + "/infer").contentType(MediaType.APPLICATION_JSON).content("{}"),
                401, "DENIED", "anonymous", "Authentication is required");
        expectAudited(post("/v2/models/" + model + "/infer").with(as("carol")).contentType(MediaType.APPLICATION_JSON)
                .content("{}"), 403, "DENIED", "carol", "roles do not allow");
        expectAudited(post("/api/models/" + model + "/classify").with(as("robot")).contentType(MediaType.IMAGE_PNG)
                .content("not an image".getBytes()), 400, "CLIENT_ERROR", "robot", "error: ");
    }

    @Test
    void answersAStoppedModelWith503AndAuditsItThenServesItAgain() throws Exception {
        Actor alice = Actor.of("alice", Role.RESEARCHER);
        deployments.stop(alice, model);
        try {
            Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> expectAudited(
                    post("/v2/models/" + model + "/infer").with(as("robot")).contentType(MediaType.APPLICATION_JSON)
                            .content("{}"), 503, "UNAVAILABLE", "robot", "is stopped"));
        }
        finally {
            deployments.start(alice, model);
        }
        Awaitility.await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(200)).untilAsserted(() ->
                assertThat(deployments.view(model).status().name()).isEqualTo("READY"));
    }

    @Test
    void withholdsTheAnswerWhenTheAuditTrailCannotBeWritten() throws Exception {
        long before = jdbc.sql("SELECT count(*) FROM audit_event").query(Long.class).single();
        jdbc.sql("ALTER TABLE audit_chain_head RENAME TO audit_chain_head_away").update();
        try {
            MockHttpServletResponse response = mvc.perform(post("/api/models/" + model + "/classify")
                    .with(as("robot")).contentType(MediaType.IMAGE_PNG)
                    .content(Files.readAllBytes(DIGITS.resolve("test-images/000-9.png")))).andReturn().getResponse();
            assertThat(response.getStatus()).isEqualTo(503);
            assertThat(response.getContentAsString()).contains("could not be recorded in the audit trail")
                    .doesNotContain("predictions");
        }
        finally {
            jdbc.sql("ALTER TABLE audit_chain_head_away RENAME TO audit_chain_head").update();
        }
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event").query(Long.class).single()).isEqualTo(before);
    }

    @Test
    void keepsTheChainIntact() throws Exception {
        mvc.perform(post("/api/models/" + model + "/classify").with(as("robot")).contentType(MediaType.IMAGE_PNG)
                .content(Files.readAllBytes(DIGITS.resolve("test-images/000-9.png")))).andExpect(status().isOk());
        AuditVerifier.Result result = verifier.verify();
        assertThat(result.intact()).as(String.valueOf(result.firstBreak())).isTrue();
    }

    @Test
    void letsAResearcherTryTheModelInThePortalThroughTheAuditedPath() throws Exception {
        byte[] png = Files.readAllBytes(DIGITS.resolve("test-images/000-9.png"));
        String page = mvc.perform(multipart("/deployments/" + model + "/try")
                        .file(new MockMultipartFile("image", "nine.png", "image/png", png))
                        .with(user("alice").roles("RESEARCHER")).with(csrf()))
                .andExpect(status().isOk()).andReturn().getResponse().getContentAsString();
        assertThat(page).contains("Top 5 for").contains("id=\"result\"").contains("<strong class=\"font-monospace prediction-label\">9</strong>");
        assertThat(jdbc.sql("SELECT count(*) FROM audit_event WHERE actor_subject = 'alice' AND client_id = "
                + "'modelward-portal' AND input_sha256 = ?").param(sha256(png)).query(Long.class).single()).isEqualTo(1);
        mvc.perform(get("/deployments/" + model + "/try").with(user("carol").roles("AUDITOR")))
                .andExpect(status().isForbidden());
    }

    @Test
    void servesKServeMetadataAndReadiness() throws Exception {
        MockHttpServletResponse metadata = mvc.perform(get("/v2/models/" + model).with(as("robot"))).andReturn()
                .getResponse();
        assertThat(metadata.getStatus()).isEqualTo(200);
        assertThat(json.readTree(metadata.getContentAsString()).path("inputs").path(0).path("name").asString())
                .isEqualTo("input0");
        assertThat(mvc.perform(get("/v2/models/" + model + "/ready").with(as("robot"))).andReturn().getResponse()
                .getContentAsString()).contains("\"ready\":true");
        mvc.perform(get("/v2/health/ready").with(as("robot"))).andExpect(status().isOk());
    }

    private void expectAudited(MockHttpServletRequestBuilder request,
            int status, String outcome, String actor, String summary) throws Exception {
        String id = UUID.randomUUID().toString();
        MockHttpServletResponse response = mvc.perform(request.header("X-Request-Id", id)).andReturn().getResponse();
        assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(status);
        Map<String, Object> row = row(id);
        assertThat(row).containsEntry("http_status", status).containsEntry("outcome", outcome)
                .containsEntry("actor_subject", actor).containsEntry("action", "INFER");
        assertThat((String) row.get("output_summary")).contains(summary);
    }

    /** The one audit row of a request: there must be exactly one. */
    private Map<String, Object> row(String requestId) {
        var rows = jdbc.sql("SELECT * FROM audit_event WHERE request_id = ?").param(requestId).query().listOfRows();
        assertThat(rows).as("audit rows of " + requestId).hasSize(1);
        return rows.getFirst();
    }

    /** The image as the runtime's pre-processing makes it: grayscale, 8 × 8, values in [0, 1]. */
    private static String pixels(String file) throws Exception {
        var raster = ImageIO.read(DIGITS.resolve("test-images/" + file).toFile()).getRaster();
        StringBuilder out = new StringBuilder("[[[");
        for (int y = 0; y < 8; y++) {
            out.append(y == 0 ? "[" : ",[");
            for (int x = 0; x < 8; x++) {
                out.append(x == 0 ? "" : ",").append(raster.getSample(x, y, 0) / 255f);
            }
            out.append(']');
        }
        return out.append("]]]").toString();
    }

    private static String sha256(byte[] bytes) {
        return InferenceGateway.sha256(bytes);
    }
}
