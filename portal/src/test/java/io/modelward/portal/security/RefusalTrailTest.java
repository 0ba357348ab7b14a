package io.modelward.portal.security;

import static io.modelward.portal.TestData.as;
import static io.modelward.portal.TestData.modelJson;
import static io.modelward.portal.TestData.unique;
import static io.modelward.portal.TestData.versionJson;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import io.modelward.portal.PortalTest;
import io.modelward.portal.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.RequestPostProcessor;

/**
 * Every refused governance action is a DENIED row of the audit trail, with who, the action, its object and the reason,
 * whether Spring Security or a service refused it, on pages and on the API; and the refused action left nothing else.
 */
@PortalTest
class RefusalTrailTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void aResearcherApprovingHerOwnVersionIsRefusedOnTheTrailAndTheVersionStaysSubmitted() throws Exception {
        // mallory is a researcher and an approver: the four-eyes rule, not her roles, refuses her
        String model = submitted("mallory");
        mvc.perform(post("/api/models/{m}/versions/1.0/approve", model).with(as("mallory")))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value(org.hamcrest.Matchers.startsWith("Four eyes: mallory")));
        Map<String, Object> row = denied("mallory", "VERSION_APPROVED", model);
        assertThat(row).containsEntry("version", "1.0").containsEntry("http_status", 403)
                .containsEntry("actor_roles", "model-approver,researcher");
        assertThat((String) row.get("detail")).startsWith("Four eyes: mallory submitted, uploaded to or owns " + model);
        // the same on the page, whose form posts to the catalog's service
        mvc.perform(post("/models/{m}/versions/1.0/approve", model).with(page("mallory", "RESEARCHER", "MODEL_APPROVER"))
                .with(csrf()))
                .andExpect(status().is3xxRedirection());
        assertThat(rows("mallory", "VERSION_APPROVED", model)).hasSize(2).allSatisfy(r -> assertThat(r)
                .containsEntry("outcome", "DENIED"));
        assertThat(state(model)).isEqualTo("SUBMITTED");
        assertThat(jdbc.sql("SELECT count(*) FROM version_transition t JOIN model_version v ON v.id = t.version_id "
                + "JOIN model m ON m.id = v.model_id WHERE m.name = ? AND t.to_state = 'APPROVED'").param(model)
                .query(Long.class).single()).isZero();
    }

    @Test
    void aResearcherWithoutTheApproverRoleIsRefusedOnTheTrailToo() throws Exception {
        String model = submitted("alice");
        mvc.perform(post("/api/models/{m}/versions/1.0/approve", model).with(as("alice")))
                .andExpect(status().isForbidden());
        assertThat(denied("alice", "VERSION_APPROVED", model).get("detail"))
                .isEqualTo("Only model approvers approve or reject versions.");
        assertThat(state(model)).isEqualTo("SUBMITTED");
    }

    @Test
    void aResearcherStoppingAColleaguesDeploymentIsRefusedOnTheTrailAndItKeepsRunning() throws Exception {
        String deployment = deployed();
        mvc.perform(post("/api/deployments/{d}/stop", deployment).with(as("erin")))
                .andExpect(status().isForbidden());
        mvc.perform(post("/deployments/{d}/stop", deployment).with(page("erin", "RESEARCHER")).with(csrf()))
                .andExpect(status().is3xxRedirection());
        List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM audit_event WHERE deployment = ? AND action = "
                + "'DEPLOYMENT_STOPPED' ORDER BY at, seq").param(deployment).query().listOfRows();
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).containsEntry("actor_subject", "erin")
                .containsEntry("outcome", "DENIED").containsEntry("chain_id", "security")
                .containsEntry("detail", "Only the owner of deployment '" + deployment + "' (alice) or an admin may "
                        + "change it."));
        assertThat(jdbc.sql("SELECT desired_state FROM deployment WHERE name = ?").param(deployment)
                .query(String.class).single()).isEqualTo("RUNNING");
        assertThat(jdbc.sql("SELECT count(*) FROM deployment_event e JOIN deployment d ON d.id = e.deployment_id "
                + "WHERE d.name = ? AND e.kind = 'STOPPED'").param(deployment).query(Long.class).single()).isZero();
    }

    @Test
    void anApproverEditingTheLicensePolicyIsRefusedOnTheTrailAndThePolicyStaysAsItWas() throws Exception {
        String id = unique("LicenseRef-h6");
        mvc.perform(put("/api/licenses/{id}", id).with(as("bob")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"verdict\": \"ALLOWED\"}"))
                .andExpect(status().isForbidden());
        mvc.perform(post("/licenses").with(page("bob", "MODEL_APPROVER")).with(csrf()).param("spdxId", id).param("verdict", "ALLOWED"))
                .andExpect(status().is3xxRedirection());
        List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM audit_event WHERE action = 'LICENSE_POLICY_CHANGED' "
                + "AND detail LIKE ?").param("%" + id + "%").query().listOfRows();
        assertThat(rows).hasSize(2).allSatisfy(row -> assertThat(row).containsEntry("actor_subject", "bob")
                .containsEntry("outcome", "DENIED").containsEntry("actor_roles", "model-approver")
                .containsEntry("detail", "Only an admin may change the license policy (" + id + " to ALLOWED)."));
        assertThat(jdbc.sql("SELECT count(*) FROM license_policy WHERE spdx_id = ?").param(id).query(Long.class)
                .single()).isZero();
    }

    @Test
    void aResearcherReadingTheAuditTrailIsRefusedOnTheTrailByPageAndByApi() throws Exception {
        String who = "erin";
        long before = count(who, "AUDIT_READ");
        // the page is refused by Spring Security (the path needs the auditor role), the API by the audit service
        mvc.perform(get("/audit").with(page(who, "RESEARCHER"))).andExpect(status().isForbidden());
        mvc.perform(get("/api/audit/events").with(as(who))).andExpect(status().isForbidden());
        List<Map<String, Object>> rows = jdbc.sql("SELECT * FROM audit_event WHERE actor_subject = ? AND action = "
                + "'AUDIT_READ' ORDER BY at, seq").param(who).query().listOfRows();
        assertThat(rows).hasSize((int) before + 2);
        assertThat(rows.get(rows.size() - 2)).containsEntry("outcome", "DENIED").containsEntry("http_status", 403)
                .containsEntry("detail", "Your roles do not allow this action. (GET /audit)")
                .containsEntry("source_ip", "127.0.0.1");
        assertThat(rows.getLast()).containsEntry("outcome", "DENIED")
                .containsEntry("detail", "Only auditors and admins may read, check or export the audit trail.");
    }

    @Test
    void aRefusalThatSpringSecurityAnswersOnTheApiIsRecordedWithTheActionItAttempted() throws Exception {
        String model = unique("m");
        // robot has only the inference-client role, which opens no catalog endpoint
        mvc.perform(post("/api/models").with(as("robot")).contentType(MediaType.APPLICATION_JSON)
                .content(modelJson(model))).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.detail").value("Your roles do not allow this action."));
        assertThat(denied("robot", "MODEL_REGISTERED", null))
                .containsEntry("detail", "Your roles do not allow this action. (POST /api/models)");
        assertThat(jdbc.sql("SELECT count(*) FROM model WHERE name = ?").param(model).query(Long.class).single())
                .isZero();
    }

    @Test
    void theAuditorsActionFilterOffersTheNewActions() throws Exception {
        String page = mvc.perform(get("/audit").with(page("carol", "AUDITOR"))).andExpect(status().isOk()).andReturn()
                .getResponse().getContentAsString();
        for (String action : List.of("AUDIT_READ", "ACCESS", "LOGIN", "LOGIN_FAILED", "LOGOUT", "LOCKOUT")) {
            assertThat(page).contains("<option value=\"" + action + "\">");
        }
        mvc.perform(get("/api/audit/events").param("action", "VERSION_APPROVED").param("outcome", "DENIED")
                .with(as("carol"))).andExpect(status().isOk())
                .andExpect(jsonPath("$.items[*].outcome").value(org.hamcrest.Matchers.everyItem(
                        org.hamcrest.Matchers.is("DENIED"))));
    }

    /** A logged-in browser session of the portal pages. */
    private static RequestPostProcessor page(String user, String... roles) {
        return SecurityMockMvcRequestPostProcessors.user(user).roles(roles);
    }

    private Map<String, Object> denied(String who, String action, String model) {
        List<Map<String, Object>> rows = rows(who, action, model);
        assertThat(rows).as(action + " by " + who).isNotEmpty();
        Map<String, Object> row = rows.getLast();
        assertThat(row).containsEntry("outcome", "DENIED").containsEntry("chain_id", "security");
        return row;
    }

    private List<Map<String, Object>> rows(String who, String action, String model) {
        return jdbc.sql("SELECT * FROM audit_event WHERE actor_subject = ? AND action = ? AND "
                + "(CAST(? AS varchar) IS NULL OR model = ?) ORDER BY at, seq").params(who, action, model, model)
                .query().listOfRows();
    }

    private long count(String who, String action) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE actor_subject = ? AND action = ?").params(who, action)
                .query(Long.class).single();
    }

    private String state(String model) {
        return jdbc.sql("SELECT v.state FROM model_version v JOIN model m ON m.id = v.model_id WHERE m.name = ?")
                .param(model).query(String.class).single();
    }

    private String submitted(String owner) throws Exception {
        String name = unique("m");
        mvc.perform(post("/api/models").with(as(owner)).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions", name).with(as(owner)).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", "MIT"))).andExpect(status().isCreated());
        mvc.perform(put("/api/models/" + name + "/versions/1.0/artifacts/model?fileName=m.pt").with(as(owner))
                .contentType(MediaType.APPLICATION_OCTET_STREAM).content(TestData.torchScript()))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as(owner))).andExpect(status().isOk());
        return name;
    }

    private String deployed() throws Exception {
        String model = submitted("alice");
        mvc.perform(post("/api/models/{n}/versions/1.0/approve", model).with(as("bob"))).andExpect(status().isOk());
        String name = unique("dep");
        mvc.perform(post("/api/deployments").with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content("{\"name\": \"" + name + "\", \"model\": \"" + model + "\", \"version\": \"1.0\", "
                        + "\"target\": \"KUBERNETES\"}"))
                .andExpect(status().isCreated());
        return name;
    }
}
