package io.modelward.portal.api;

import static io.modelward.portal.TestData.as;
import static io.modelward.portal.TestData.modelJson;
import static io.modelward.portal.TestData.unique;
import static io.modelward.portal.TestData.versionJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.modelward.portal.PortalTest;
import io.modelward.portal.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.ResultActions;

@PortalTest
class CatalogApiTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void registersUploadsSubmitsAndApprovesOverTheApi() throws Exception {
        String name = unique("api");
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated()).andExpect(header().string("Location", "/api/models/" + name))
                .andExpect(jsonPath("$.owner").value("alice"));
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", "Apache-2.0"))).andExpect(status().isCreated())
                .andExpect(jsonPath("$.state").value("DRAFT"))
                .andExpect(jsonPath("$.licenseVerdict").value("ALLOWED"))
                .andExpect(jsonPath("$.provenance.revision").value("abc123"))
                .andExpect(jsonPath("$.input.mean[0]").value(0.5))
                .andExpect(jsonPath("$.input.empty").doesNotExist());
        byte[] model = TestData.torchScript();
        String sha = sha256(model);
        mvc.perform(put("/api/models/{n}/versions/1.0/artifacts/model", name).with(as("alice"))
                .param("fileName", "net.pt").param("sha256", sha.toUpperCase())
                .contentType(MediaType.APPLICATION_OCTET_STREAM).content(model))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.sha256").value(sha))
                .andExpect(jsonPath("$.sizeBytes").value(model.length));
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("alice")))
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("SUBMITTED"));
        mvc.perform(get("/api/approvals").with(as("bob"))).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].model", hasItem(name)));
        mvc.perform(post("/api/models/{n}/versions/1.0/approve", name).with(as("bob"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"card and license checked\"}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("APPROVED"))
                .andExpect(jsonPath("$.decidedBy").value("bob"))
                .andExpect(jsonPath("$.history[2].reason").value("card and license checked"));
        mvc.perform(get("/api/models/{n}/versions/1.0/artifacts/model", name).with(as("carol")))
                .andExpect(status().isOk()).andExpect(content().bytes(model))
                .andExpect(header().string("X-Checksum-Sha256", sha))
                .andExpect(header().string("ETag", "\"" + sha + "\""));
        mvc.perform(get("/api/models").param("state", "APPROVED").with(as("carol"))).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name", hasItem(name)));
    }

    @Test
    void servesTheSignatureReadFromAnOnnxModelInTheApiAndOnTheVersionPage() throws Exception {
        String name = unique("onnx");
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"version\": \"1.0\", \"format\": \"ONNX\", \"license\": \"MIT\", "
                        + "\"provenance\": {\"sourceType\": \"UPLOAD\"}}")).andExpect(status().isCreated())
                .andExpect(jsonPath("$.signature.source").value("DEFAULT"));
        byte[] onnx = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("../tools/models/digits/digits.onnx"));
        mvc.perform(put("/api/models/{n}/versions/1.0/artifacts/model", name).with(as("alice"))
                .param("fileName", "digits.onnx").contentType(MediaType.APPLICATION_OCTET_STREAM).content(onnx))
                .andExpect(status().isCreated());
        mvc.perform(get("/api/models/{n}/versions/1.0", name).with(as("carol"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.format").value("ONNX"))
                .andExpect(jsonPath("$.signature.source").value("MODEL"))
                .andExpect(jsonPath("$.signature.inputs[0].name").value("input0"))
                .andExpect(jsonPath("$.signature.inputs[0].shape[3]").value(8))
                .andExpect(jsonPath("$.signature.outputs[0].shape[1]").value(10));
        mvc.perform(get("/models/{n}/versions/1.0", name).with(org.springframework.security.test.web.servlet.request
                .SecurityMockMvcRequestPostProcessors.user("carol").roles("AUDITOR"))).andExpect(status().isOk())
                .andExpect(content().string(org.hamcrest.Matchers.allOf(
                        org.hamcrest.Matchers.containsString("read from the model file"),
                        org.hamcrest.Matchers.containsString("[? × 1 × 8 × 8]"),
                        org.hamcrest.Matchers.containsString("[? × 10]"))));
    }

    @Test
    void answersAMissingOrWrongPasswordWith401AndNeverRedirects() throws Exception {
        mvc.perform(get("/api/models")).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", containsString("Basic")))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(401));
        mvc.perform(get("/api/models").with(org.springframework.security.test.web.servlet.request
                .SecurityMockMvcRequestPostProcessors.httpBasic("alice", "wrong"))).andExpect(status().isUnauthorized())
                .andExpect(header().doesNotExist("Location"));
        mvc.perform(get("/api/models").with(as("alice"))).andExpect(status().isOk())
                .andExpect(header().doesNotExist("Set-Cookie"));
    }

    @Test
    void publishesOpenApiDocsForTheApiToLoggedInUsers() throws Exception {
        mvc.perform(get("/v3/api-docs")).andExpect(status().isFound());
        mvc.perform(get("/v3/api-docs").with(org.springframework.security.test.web.servlet.request
                .SecurityMockMvcRequestPostProcessors.user("carol").roles("AUDITOR")))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.paths['/api/models/{name}/versions/{version}/artifacts/{kind}'].put").exists())
                .andExpect(jsonPath("$.paths['/api/models/{name}/versions/{version}/approve'].post").exists())
                .andExpect(jsonPath("$.paths['/api/licenses/{spdxId}'].put").exists());
    }

    @Test
    void refusesTheCatalogToAnInferenceClient() throws Exception {
        mvc.perform(get("/api/models").with(as("robot"))).andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
    }

    @Test
    void explainsInvalidCommandsFieldByField() throws Exception {
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"Not DNS!\", \"displayName\": \"\", \"task\": \"OTHER\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.type").value("urn:modelward:problem:validation"))
                .andExpect(jsonPath("$.errors[*].field", hasItem("name")))
                .andExpect(jsonPath("$.errors[*].field", hasItem("displayName")))
                .andExpect(jsonPath("$.detail", containsString("lower-case letters")));
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"ok\", \"displayName\": \"Ok\", \"task\": \"SEGMENTATION\"}"))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("SEGMENTATION")))
                .andExpect(jsonPath("$.detail", containsString("IMAGE_CLASSIFICATION")));
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content("{\"name\": "))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("not valid JSON")));
        String name = unique("val");
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", "")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.errors[*].field", hasItem("license")));
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", "MIT").replace("abc123\"", "abc123\", \"upstreamSha256\": \"xyz\"")))
                .andExpect(status().isBadRequest()).andExpect(jsonPath("$.detail", containsString("64 hex digits")));
        assertThat(jdbc.sql("SELECT count(*) FROM model_version v JOIN model m ON m.id = v.model_id WHERE m.name = ?")
                .param(name).query(Long.class).single()).isZero();
    }

    @Test
    void mapsUploadFailuresToPreciseProblems() throws Exception {
        String name = draftWithoutFile();
        String url = "/api/models/" + name + "/versions/1.0/artifacts/";
        byte[] model = TestData.torchScript();
        upload(url + "model", null, MediaType.APPLICATION_OCTET_STREAM, model).andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.detail", containsString("fileName")));
        upload(url + "model?fileName=m.pt", null, MediaType.APPLICATION_FORM_URLENCODED, TestData.bytes("a=%zz"))
                .andExpect(status().isUnsupportedMediaType())
                .andExpect(jsonPath("$.detail", containsString("not as a form")));
        upload(url + "model?fileName=m.pt", "0".repeat(64), MediaType.APPLICATION_OCTET_STREAM, model)
                .andExpect(status().isUnprocessableContent())
                .andExpect(jsonPath("$.type").value("urn:modelward:problem:checksum-mismatch"));
        upload(url + "model?fileName=m.pt", null, MediaType.APPLICATION_OCTET_STREAM, new byte[300 * 1024])
                .andExpect(status().isContentTooLarge()).andExpect(jsonPath("$.detail", containsString("256 KiB")));
        upload(url + "model?fileName=m.onnx", null, MediaType.APPLICATION_OCTET_STREAM, model)
                .andExpect(status().isUnsupportedMediaType());
        upload(url + "weights?fileName=m.pt", null, MediaType.APPLICATION_OCTET_STREAM, model)
                .andExpect(status().isNotFound()).andExpect(jsonPath("$.detail", containsString("'model' or 'labels'")));
        upload("/api/models/" + name + "/versions/9/artifacts/model?fileName=m.pt", null,
                MediaType.APPLICATION_OCTET_STREAM, model).andExpect(status().isNotFound());
        assertThat(jdbc.sql("SELECT count(*) FROM artifact a JOIN model_version v ON v.id = a.version_id "
                + "JOIN model m ON m.id = v.model_id WHERE m.name = ?").param(name).query(Long.class).single()).isZero();
    }

    @Test
    void refusesACrossSiteBrowserPostEvenWithCredentials() throws Exception {
        String name = draft("alice", "MIT");
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("alice"))
                .header("Sec-Fetch-Site", "cross-site"))
                .andExpect(status().isForbidden()).andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        mvc.perform(get("/api/models/{n}/versions/1.0", name).with(as("alice")).header("Sec-Fetch-Site", "cross-site"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("DRAFT"));
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("alice"))
                .header("Sec-Fetch-Site", "same-origin")).andExpect(status().isOk());
    }

    @Test
    void refusesIllegalTransitionsWithAConflict() throws Exception {
        String name = draft("alice", "MIT");
        mvc.perform(post("/api/models/{n}/versions/1.0/approve", name).with(as("bob")))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.type").value("urn:modelward:problem:illegal-transition"))
                .andExpect(jsonPath("$.detail", containsString("is DRAFT")));
    }

    @Test
    void hidesNothingButChecksEveryRoleOnEveryAction() throws Exception {
        // who may do what: each action against each role, on a fresh version in the state the action needs
        expect("register-model", "alice", 201, "erin", 201, "bob", 403, "carol", 403, "admin", 403, "robot", 403);
        expect("register-version", "alice", 201, "erin", 403, "bob", 403, "carol", 403, "admin", 201, "robot", 403);
        expect("upload", "alice", 201, "erin", 403, "bob", 403, "carol", 403, "admin", 201, "robot", 403);
        expect("submit", "alice", 200, "erin", 403, "bob", 403, "carol", 403, "admin", 200, "robot", 403);
        expect("approve", "alice", 403, "erin", 403, "bob", 200, "carol", 403, "admin", 403, "robot", 403,
                "mallory", 200);
        expect("reject", "alice", 403, "erin", 403, "bob", 200, "carol", 403, "admin", 403, "robot", 403);
        expect("retire", "alice", 200, "erin", 403, "bob", 200, "carol", 403, "admin", 200, "robot", 403);
        expect("license", "alice", 403, "erin", 403, "bob", 403, "carol", 403, "admin", 200, "robot", 403);
        expect("read", "alice", 200, "erin", 200, "bob", 200, "carol", 200, "admin", 200, "robot", 403);
    }

    @Test
    void takesOmittedFlagsOfAnInputSpecAsFalse() throws Exception {
        String name = unique("omit");
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("""
                        {"version": "1.0", "format": "TORCHSCRIPT", "license": "MIT", "provenance": {"sourceType": "UPLOAD"},
                         "input": {"imageSize": 224, "resizeTo": 256, "mean": [0.485, 0.456, 0.406],
                                   "std": [0.229, 0.224, 0.225]}}"""))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.input.grayscale").value(false));
    }

    @Test
    void refusesTheSubmitterAsHerOwnApproverOverTheApi() throws Exception {
        String name = draft("mallory", "MIT");
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("mallory"))).andExpect(status().isOk());
        mvc.perform(post("/api/models/{n}/versions/1.0/approve", name).with(as("mallory"))
                .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"mine, and fine\"}"))
                .andExpect(status().isForbidden()).andExpect(jsonPath("$.detail", containsString("Four eyes")));
        mvc.perform(get("/api/models/{n}/versions/1.0", name).with(as("bob")))
                .andExpect(jsonPath("$.state").value("SUBMITTED"))
                .andExpect(jsonPath("$.history[*].to", not(hasItem("APPROVED"))));
    }

    private void expect(String action, Object... userStatus) throws Exception {
        for (int i = 0; i < userStatus.length; i += 2) {
            String user = (String) userStatus[i];
            int expected = (Integer) userStatus[i + 1];
            int actual = perform(action, user).andReturn().getResponse().getStatus();
            assertThat(actual).as(action + " by " + user).isEqualTo(expected);
        }
    }

    private ResultActions perform(String action, String user) throws Exception {
        return switch (action) {
            case "register-model" -> mvc.perform(post("/api/models").with(as(user))
                    .contentType(MediaType.APPLICATION_JSON).content(modelJson(unique("rm"))));
            case "register-version" -> mvc.perform(post("/api/models/{n}/versions", model("alice")).with(as(user))
                    .contentType(MediaType.APPLICATION_JSON).content(versionJson("1.0", "MIT")));
            case "upload" -> upload("/api/models/" + draftWithoutFile() + "/versions/1.0/artifacts/model?fileName=m.pt",
                    null, MediaType.APPLICATION_OCTET_STREAM, TestData.torchScript(), user);
            case "submit" -> mvc.perform(post("/api/models/{n}/versions/1.0/submit", draft("alice", "MIT"))
                    .with(as(user)));
            case "approve", "reject" -> mvc.perform(post("/api/models/{n}/versions/1.0/" + action, submitted())
                    .with(as(user)).contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"decided\"}"));
            case "retire" -> mvc.perform(post("/api/models/{n}/versions/1.0/retire", approved()).with(as(user))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"reason\": \"superseded\"}"));
            case "license" -> mvc.perform(put("/api/licenses/{id}", "LicenseRef-" + unique("t")).with(as(user))
                    .contentType(MediaType.APPLICATION_JSON).content("{\"verdict\": \"REVIEW\"}"));
            case "read" -> mvc.perform(get("/api/licenses").with(as(user)));
            default -> throw new IllegalArgumentException(action);
        };
    }

    private String model(String owner) throws Exception {
        String name = unique("m");
        mvc.perform(post("/api/models").with(as(owner)).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        return name;
    }

    private String draftWithoutFile() throws Exception {
        String name = model("alice");
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", "MIT"))).andExpect(status().isCreated());
        return name;
    }

    private String draft(String owner, String license) throws Exception {
        String name = model(owner);
        mvc.perform(post("/api/models/{n}/versions", name).with(as(owner)).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", license))).andExpect(status().isCreated());
        upload("/api/models/" + name + "/versions/1.0/artifacts/model?fileName=m.pt", null,
                MediaType.APPLICATION_OCTET_STREAM, TestData.torchScript(), owner).andExpect(status().isCreated());
        return name;
    }

    private String submitted() throws Exception {
        String name = draft("erin", "MIT");
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("erin"))).andExpect(status().isOk());
        return name;
    }

    private String approved() throws Exception {
        String name = draft("alice", "MIT");
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("alice"))).andExpect(status().isOk());
        mvc.perform(post("/api/models/{n}/versions/1.0/approve", name).with(as("bob"))).andExpect(status().isOk());
        return name;
    }

    private ResultActions upload(String url, String sha, MediaType type, byte[] body) throws Exception {
        return upload(url + (sha == null ? "" : (url.contains("?") ? "&" : "?") + "sha256=" + sha), null, type, body,
                "alice");
    }

    private ResultActions upload(String url, String sha, MediaType type, byte[] body, String user) throws Exception {
        return mvc.perform(put(url).with(as(user)).contentType(type).content(body));
    }

    private static String sha256(byte[] content) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(content));
        }
        catch (java.security.NoSuchAlgorithmException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
