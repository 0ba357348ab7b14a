package io.modelward.portal.web;

import static io.modelward.portal.TestData.as;
import static io.modelward.portal.TestData.modelJson;
import static io.modelward.portal.TestData.unique;
import static io.modelward.portal.TestData.versionJson;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.delete;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.flash;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.modelward.portal.PortalTest;
import io.modelward.portal.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/** The deploy form, the dashboard and a deployment's page and actions, and the deployments API. */
@PortalTest
class DeploymentPagesTest {

    static final RequestPostProcessor ALICE = user("alice").roles("RESEARCHER");
    static final RequestPostProcessor ERIN = user("erin").roles("RESEARCHER");
    static final RequestPostProcessor BOB = user("bob").roles("MODEL_APPROVER");
    static final RequestPostProcessor ADMIN = user("admin").roles("ADMIN");

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void offersDeployOnAnApprovedVersionToResearchersOnly() throws Exception {
        String model = approved();
        String page = "/models/" + model + "/versions/1.0";
        mvc.perform(get(page).with(ALICE)).andExpect(content().string(containsString("id=\"deploy-version\"")));
        mvc.perform(get(page).with(BOB)).andExpect(content().string(not(containsString("id=\"deploy-version\""))));
        mvc.perform(get("/deployments/new").param("model", model).param("version", "1.0").with(BOB))
                .andExpect(status().isForbidden());
    }

    @Test
    void showsEachProblemOfTheFormBesideItsFieldAndCreatesNothing() throws Exception {
        String model = approved();
        long before = count();
        mvc.perform(post("/deployments/new").with(ALICE).with(csrf()).param("model", model).param("version", "1.0")
                .param("name", "Not A Label").param("target", "LOCAL").param("minReplicas", "3")
                .param("maxReplicas", "2").param("metric", "INFLIGHT").param("scaleTarget", "4")
                .param("idleSeconds", "0").param("cpuRequest", "2").param("cpuLimit", "1")
                .param("memoryRequest", "1Gi").param("memoryLimit", "2Gi"))
                .andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString("must be a DNS label"),
                        containsString("Min replicas (3) must not exceed max replicas (2)."),
                        containsString("The CPU limit (1) is below the CPU request (2)."),
                        containsString("is-invalid"))));
        mvc.perform(post("/deployments/new").with(ALICE).with(csrf()).param("model", "no-such-model")
                .param("version", "1.0").param("name", unique("ghost")).param("target", "LOCAL")
                .param("metric", "INFLIGHT"))
                .andExpect(status().isOk())
                .andExpect(content().string(containsString("There is no version &#39;1.0&#39; of model &#39;no-such-model&#39;")));
        org.assertj.core.api.Assertions.assertThat(count()).isEqualTo(before);
    }

    @Test
    void deploysFromTheFormAndShowsTheDeploymentWithItsLiveStatus() throws Exception {
        String model = approved();
        String name = unique("web");
        mvc.perform(post("/deployments/new").with(ALICE).with(csrf()).param("model", model).param("version", "1.0")
                .param("name", name).param("target", "KUBERNETES").param("minReplicas", "1").param("maxReplicas", "2")
                .param("metric", "CPU").param("scaleTarget", "70").param("idleSeconds", "0")
                .param("cpuRequest", "500m").param("cpuLimit", "2").param("memoryRequest", "768Mi")
                .param("memoryLimit", "2Gi"))
                .andExpect(redirectedUrl("/deployments/" + name));
        mvc.perform(get("/deployments/" + name).with(ALICE)).andExpect(status().isOk())
                .andExpect(content().string(allOf(containsString(model + " 1.0"), containsString("id=\"stop\""),
                        containsString("CPU 70 %"), containsString("data-live=\"readyReplicas\""))));
        mvc.perform(get("/deployments").with(BOB)).andExpect(status().isOk())
                .andExpect(content().string(containsString("data-deployment=\"" + name + "\"")));
        mvc.perform(get("/deployments/live").with(BOB)).andExpect(status().isOk())
                .andExpect(jsonPath("$[*].name", hasItem(name)));
        mvc.perform(get("/deployments/" + name).with(ERIN))
                .andExpect(content().string(not(containsString("id=\"stop\""))));
    }

    @Test
    void letsOnlyTheOwnerOrAnAdminStopOrDelete() throws Exception {
        String name = deployed(approved());
        mvc.perform(post("/deployments/" + name + "/stop").with(ERIN).with(csrf()))
                .andExpect(redirectedUrl("/deployments/" + name))
                .andExpect(flash().attribute("error", containsString("Only the owner of deployment")));
        mvc.perform(post("/deployments/" + name + "/stop").with(ALICE)).andExpect(status().isForbidden());
        mvc.perform(post("/deployments/" + name + "/stop").with(ADMIN).with(csrf()))
                .andExpect(flash().attribute("success", containsString("Stopping")));
        mvc.perform(post("/deployments/" + name + "/delete").with(ALICE).with(csrf()))
                .andExpect(redirectedUrl("/deployments"));
        mvc.perform(get("/deployments/" + name).with(ALICE)).andExpect(status().isNotFound());
    }

    @Test
    void servesDeploymentsOverTheApiWithProblemsForBadSpecs() throws Exception {
        String model = approved();
        mvc.perform(post("/api/deployments").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"x\", \"model\": \"" + model + "\", \"version\": \"1.0\", \"minReplicas\": 2, "
                        + "\"maxReplicas\": 1, \"memoryRequest\": \"4Gi\", \"memoryLimit\": \"1Gi\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.type").value("urn:modelward:problem:invalid-deployment"))
                .andExpect(jsonPath("$.detail", allOf(containsString("must not exceed"),
                        containsString("The memory limit (1Gi) is below the memory request (4Gi)."))));
        mvc.perform(post("/api/deployments").with(as("carol")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"y\", \"model\": \"" + model + "\", \"version\": \"1.0\"}"))
                .andExpect(status().isForbidden());
        String name = unique("api");
        mvc.perform(post("/api/deployments").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"" + name + "\", \"model\": \"" + model + "\", \"version\": \"1.0\", "
                        + "\"target\": \"KUBERNETES\"}"))
                .andExpect(status().isCreated())
                .andExpect(jsonPath("$.spec.minReplicas").value(1))
                .andExpect(jsonPath("$.status").value("PENDING"));
        mvc.perform(post("/api/deployments").with(as("erin")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"" + name + "\", \"model\": \"" + model + "\", \"version\": \"1.0\"}"))
                .andExpect(status().isConflict());
        mvc.perform(post("/api/deployments/" + name + "/scale").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"maxReplicas\": 3}")).andExpect(jsonPath("$.spec.maxReplicas").value(3));
        mvc.perform(delete("/api/deployments/" + name).with(as("erin"))).andExpect(status().isForbidden());
        mvc.perform(delete("/api/deployments/" + name).with(as("alice"))).andExpect(status().isNoContent());
    }

    private String deployed(String model) throws Exception {
        String name = unique("dep");
        mvc.perform(post("/api/deployments").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"" + name + "\", \"model\": \"" + model + "\", \"version\": \"1.0\", "
                        + "\"target\": \"KUBERNETES\"}"))
                .andExpect(status().isCreated());
        return name;
    }

    private String approved() throws Exception {
        String name = unique("m");
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", "MIT"))).andExpect(status().isCreated());
        mvc.perform(put("/api/models/" + name + "/versions/1.0/artifacts/model?fileName=m.pt").with(as("alice"))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).content(TestData.torchScript()))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("alice"))).andExpect(status().isOk());
        mvc.perform(post("/api/models/{n}/versions/1.0/approve", name).with(as("bob"))).andExpect(status().isOk());
        return name;
    }

    private long count() {
        return jdbc.sql("SELECT count(*) FROM deployment").query(Long.class).single();
    }
}
