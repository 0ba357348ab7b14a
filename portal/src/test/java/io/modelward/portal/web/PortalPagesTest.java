package io.modelward.portal.web;

import static io.modelward.portal.TestData.as;
import static io.modelward.portal.TestData.modelJson;
import static io.modelward.portal.TestData.unique;
import static io.modelward.portal.TestData.versionJson;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.model;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.modelward.portal.PortalTest;
import io.modelward.portal.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** Every portal page, rendered by the real templates against the real database, for the roles that use it. */
@PortalTest
class PortalPagesTest {

    static final RequestPostProcessor ALICE = user("alice").roles("RESEARCHER");
    static final RequestPostProcessor ERIN = user("erin").roles("RESEARCHER");
    static final RequestPostProcessor BOB = user("bob").roles("MODEL_APPROVER");
    static final RequestPostProcessor CAROL = user("carol").roles("AUDITOR");
    static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");
    static final RequestPostProcessor MALLORY = user("mallory").roles("RESEARCHER", "MODEL_APPROVER");

    @Autowired
    MockMvc mvc;

    @Test
    void sendsAnonymousVisitorsToTheLoginPageWhichNamesTheLocalAccountMode() throws Exception {
        mvc.perform(get("/models")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/login")).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Local accounts"), containsString("alice"),
                        not(containsString("alice-pw")))));
    }

    @Test
    void logsInWithALocalAccountAndRejectsAWrongPassword() throws Exception {
        mvc.perform(formLogin().user("alice").password("alice-pw")).andExpect(redirectedUrl("/models"));
        mvc.perform(formLogin().user("alice").password("nope")).andExpect(redirectedUrl("/login?error"));
    }

    @Test
    void listsAndFiltersTheCatalog() throws Exception {
        String submitted = submittedVersion("alice", "MIT");
        mvc.perform(get("/models").with(CAROL)).andExpect(status().isOk())
                .andExpect(content().string(containsString(submitted)));
        mvc.perform(get("/models").param("state", "APPROVED").param("q", submitted).with(CAROL))
                .andExpect(status().isOk()).andExpect(content().string(containsString("No models match")));
        mvc.perform(get("/models").param("state", "SUBMITTED").param("verdict", "ALLOWED").with(CAROL))
                .andExpect(content().string(containsString(submitted)));
    }

    @Test
    void showsAVersionWithProvenanceAndASafelyRenderedModelCard() throws Exception {
        String name = submittedVersion("alice", "MIT");
        mvc.perform(get("/models/{n}/versions/1.0", name).with(CAROL)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("https://huggingface.co/acme/m"),
                        containsString("abc123"), containsString("&lt;script&gt;"),
                        not(containsString("<script>alert")), not(containsString("javascript:")),
                        containsString("SUBMITTED"), containsString("Approval history"))))
                .andExpect(content().string(not(containsString("id=\"approve\""))));
        mvc.perform(get("/models/{n}", name).with(CAROL)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Versions")));
    }

    @Test
    void registersAModelThroughTheFormAndShowsErrorsInline() throws Exception {
        mvc.perform(post("/models/new").with(ALICE).with(csrf()).param("name", "Bad Name")
                .param("displayName", "").param("task", "OTHER"))
                .andExpect(status().isOk()).andExpect(model().attributeHasFieldErrors("form", "name", "displayName"))
                .andExpect(content().string(containsString("lower-case letters")));
        String name = unique("form");
        mvc.perform(post("/models/new").with(ALICE).with(csrf()).param("name", name).param("displayName", "Form")
                .param("task", "IMAGE_CLASSIFICATION"))
                .andExpect(redirectedUrl("/models/" + name + "/versions/new"));
        mvc.perform(post("/models/new").with(ERIN).with(csrf()).param("name", name).param("displayName", "Again")
                .param("task", "OTHER"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("already exists")));
    }

    @Test
    void refusesAFormPostWithoutCsrfToken() throws Exception {
        mvc.perform(post("/models/new").with(ALICE).param("name", unique("x")).param("displayName", "X")
                .param("task", "OTHER")).andExpect(status().isForbidden());
    }

    @Test
    void registersAVersionsImageProcessingThroughTheFormAndShowsIt() throws Exception {
        String name = registeredModel("alice");
        mvc.perform(post("/models/{n}/versions/new", name).with(ALICE).with(csrf()).param("version", "1.0")
                .param("format", "ONNX").param("license", "MIT").param("sourceType", "UPLOAD")
                .param("mean", "0.5").param("scale", "0.1"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("not both")));
        mvc.perform(post("/models/{n}/versions/new", name).with(ALICE).with(csrf()).param("version", "1.0")
                .param("format", "ONNX").param("license", "MIT").param("sourceType", "UPLOAD")
                .param("preset", "text-line-48").param("color", "BGR").param("fit", "PAD").param("width", "320")
                .param("height", "48").param("scale", "0.007843138").param("offset", "-1").param("layout", "NCHW")
                .param("softmax", "false").param("topK", "").param("resizeTo", "").param("imageSize", ""))
                .andExpect(redirectedUrl("/models/" + name + "/versions/1.0/upload"));
        mvc.perform(get("/models/{n}/versions/1.0", name).with(ALICE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("preset text-line-48 · BGR · height, then pad to 320 × 48 · "
                        + "scale [0.007843138], offset [-1.0] · NCHW · no softmax")));
    }

    @Test
    void registersAVersionThroughTheFormAndUploadsItsFile() throws Exception {
        String name = registeredModel("alice");
        mvc.perform(get("/models/{n}/versions/new", name).with(ALICE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("Apache-2.0")));
        mvc.perform(post("/models/{n}/versions/new", name).with(ALICE).with(csrf()).param("version", "1.0")
                .param("format", "TORCHSCRIPT").param("license", "MIT").param("sourceType", "URL")
                .param("mean", "0.5, abc").param("upstreamSha256", "123"))
                .andExpect(status().isOk())
                .andExpect(model().attributeHasFieldErrors("form", "mean", "upstreamSha256"));
        mvc.perform(post("/models/{n}/versions/new", name).with(ALICE).with(csrf()).param("version", "1.0")
                .param("format", "TORCHSCRIPT").param("license", "MIT").param("sourceType", "URL"))
                .andExpect(status().isOk()).andExpect(content().string(containsString("needs its source URI")));
        mvc.perform(post("/models/{n}/versions/new", name).with(ALICE).with(csrf()).param("version", "1.0")
                .param("format", "TORCHSCRIPT").param("license", "MIT").param("sourceType", "URL")
                .param("sourceUri", "https://example.org/m.pt").param("retrievedAt", "2026-10-01T12:30")
                .param("imageSize", "224").param("resizeTo", "256").param("mean", "0.485, 0.456, 0.406")
                .param("std", "0.229, 0.224, 0.225"))
                .andExpect(redirectedUrl("/models/" + name + "/versions/1.0/upload"));
        mvc.perform(get("/models/{n}/versions/1.0/upload", name).with(ALICE)).andExpect(status().isOk())
                .andExpect(content().string(containsString("upload-model")));
        byte[] file = TestData.torchScript();
        mvc.perform(put("/models/{n}/versions/1.0/artifacts/model", name).param("fileName", "m.pt").with(ALICE)
                .contentType(MediaType.APPLICATION_OCTET_STREAM).content(file)).andExpect(status().isForbidden());
        mvc.perform(put("/models/{n}/versions/1.0/artifacts/model", name).param("fileName", "m.pt").with(ALICE)
                .with(csrf().asHeader()).contentType(MediaType.APPLICATION_OCTET_STREAM).content(file))
                .andExpect(status().isCreated()).andExpect(jsonPath("$.sizeBytes").value(file.length));
        mvc.perform(put("/models/{n}/versions/1.0/artifacts/labels", name).param("fileName", "labels.csv").with(ALICE)
                .with(csrf().asHeader()).contentType(MediaType.APPLICATION_OCTET_STREAM).content(TestData.bytes("a")))
                .andExpect(status().isUnsupportedMediaType()).andExpect(jsonPath("$.detail",
                        containsString("not a labels file")));
        mvc.perform(post("/models/{n}/versions/1.0/submit", name).with(ALICE).with(csrf()))
                .andExpect(flash().attribute("success", containsString("Submitted")));
    }

    @Test
    void showsTheApproverTheDecisionFormAndTheQueue() throws Exception {
        String name = submittedVersion("alice", "CC-BY-NC-4.0");
        mvc.perform(get("/approvals").with(BOB)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString(name), containsString("REVIEW"))));
        mvc.perform(get("/models/{n}/versions/1.0", name).with(BOB)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("id=\"approve\""), containsString("justification"))));
        mvc.perform(post("/models/{n}/versions/1.0/approve", name).with(BOB).with(csrf()).param("reason", "ok"))
                .andExpect(flash().attribute("error", containsString("justification")));
        mvc.perform(post("/models/{n}/versions/1.0/approve", name).with(BOB).with(csrf())
                .param("reason", "Non-commercial research use only, checked with legal."))
                .andExpect(flash().attribute("success", containsString("Approved")));
    }

    @Test
    void keepsFourEyesInThePagesAndRefusesAForcedPost() throws Exception {
        String name = submittedVersion("mallory", "MIT");
        mvc.perform(get("/models/{n}/versions/1.0", name).with(MALLORY)).andExpect(status().isOk())
                .andExpect(content().string(allOf(not(containsString("id=\"approve\"")), containsString("Four eyes"))));
        mvc.perform(post("/models/{n}/versions/1.0/approve", name).with(MALLORY).with(csrf()).param("reason", "mine"))
                .andExpect(flash().attribute("error", containsString("Four eyes")));
        mvc.perform(get("/models/{n}/versions/1.0", name).with(BOB))
                .andExpect(content().string(containsString("state-submitted")));
    }

    @Test
    void keepsTheApprovalQueueFromResearchers() throws Exception {
        mvc.perform(get("/approvals").with(ALICE)).andExpect(status().isForbidden());
    }

    @Test
    void letsOnlyAnAdminEditTheLicensePolicy() throws Exception {
        mvc.perform(get("/licenses").with(ALICE)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("Apache-2.0"), not(containsString("policy-form")))));
        mvc.perform(get("/licenses").with(ADMIN)).andExpect(content().string(containsString("policy-form")));
        String id = "LicenseRef-" + unique("page");
        mvc.perform(post("/licenses").with(ALICE).with(csrf()).param("spdxId", id).param("verdict", "ALLOWED"))
                .andExpect(flash().attribute("error", containsString("Only an admin")));
        mvc.perform(post("/licenses").with(ADMIN).with(csrf()).param("spdxId", id).param("verdict", "DENIED"))
                .andExpect(flash().attribute("success", containsString("DENIED")));
        mvc.perform(get("/licenses").with(CAROL)).andExpect(content().string(containsString(id)));
    }

    @Test
    void answersAnUnknownModelWithA404Page() throws Exception {
        mvc.perform(get("/models/{n}", "no-such-model").with(CAROL)).andExpect(status().isNotFound())
                .andExpect(content().string(containsString("No model named")));
    }

    @Test
    void keepsActuatorDetailsFromNonAdmins() throws Exception {
        mvc.perform(get("/actuator/health")).andExpect(status().isOk());
        mvc.perform(get("/actuator/info").with(ALICE)).andExpect(status().isForbidden());
    }

    private String registeredModel(String owner) throws Exception {
        String name = unique("page");
        mvc.perform(post("/api/models").with(as(owner)).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        return name;
    }

    private String submittedVersion(String owner, String license) throws Exception {
        String name = registeredModel(owner);
        mvc.perform(post("/api/models/{n}/versions", name).with(as(owner)).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", license))).andExpect(status().isCreated());
        mvc.perform(put("/api/models/{n}/versions/1.0/artifacts/model", name).param("fileName", "m.pt").with(as(owner))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).content(TestData.torchScript()))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as(owner))).andExpect(status().isOk());
        return name;
    }
}
