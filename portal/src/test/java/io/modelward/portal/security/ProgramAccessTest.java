package io.modelward.portal.security;

import static io.modelward.portal.TestData.as;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.startsWith;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.modelward.portal.PortalTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/**
 * Programs (HTTP Basic with the local accounts here; bearer tokens in {@link KeycloakModeTest}) fetch the OpenAPI
 * document and the audit exports as they call the API: the same roles, a 401 or 403 problem instead of the login page.
 * Browsers, which send no Authorization header, keep their session and their login redirect.
 */
@PortalTest
class ProgramAccessTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void servesTheOpenApiDocumentToAProgramWithBasicCredentials() throws Exception {
        mvc.perform(get("/v3/api-docs").with(as("alice"))).andExpect(status().isOk())
                .andExpect(content().contentTypeCompatibleWith(MediaType.APPLICATION_JSON))
                .andExpect(jsonPath("$.openapi", startsWith("3.")))
                .andExpect(jsonPath("$.paths['/api/models']").exists())
                .andExpect(header().doesNotExist(HttpHeaders.SET_COOKIE));
    }

    @Test
    void refusesTheOpenApiDocumentToWrongCredentialsAndToProgramsWithoutAPortalRole() throws Exception {
        mvc.perform(get("/v3/api-docs").with(httpBasic("alice", "wrong"))).andExpect(status().isUnauthorized())
                .andExpect(header().string(HttpHeaders.WWW_AUTHENTICATE, "Basic realm=\"ModelWard\""))
                .andExpect(header().doesNotExist(HttpHeaders.LOCATION))
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.status").value(401));
        mvc.perform(get("/v3/api-docs").with(as("robot"))).andExpect(status().isForbidden())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail").value("Your roles do not allow this action."));
    }

    @Test
    void letsAnAuditorOrAdminProgramExportTheTrailWithBasicCredentials() throws Exception {
        long before = exportsBy("carol");
        mvc.perform(get("/audit/export.csv").with(as("carol"))).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv; charset=UTF-8; header=present"))
                .andExpect(content().string(startsWith("chain_id,")));
        mvc.perform(get("/audit/export.fhir.json").param("outcome", "DENIED").with(as("admin")))
                .andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/fhir+json; charset=UTF-8"));
        mvc.perform(get("/audit/export.pdf").with(as("carol"))).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "application/pdf"));
        assertThat(exportsBy("carol")).as("every export is recorded, programs' too").isEqualTo(before + 2);
    }

    @Test
    void refusesTheExportsToAProgramWithoutTheAuditorRoleWith403AProblemAndNoExport() throws Exception {
        long before = exportsBy("alice");
        long refusedBefore = refusedExportsOf("alice");
        for (String path : new String[] { "/audit/export.csv", "/audit/export.fhir.json", "/audit/export.pdf" }) {
            mvc.perform(get(path).with(as("alice"))).andExpect(status().isForbidden())
                    .andExpect(header().doesNotExist(HttpHeaders.LOCATION))
                    .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                    .andExpect(jsonPath("$.detail").value("Your roles do not allow this action."));
        }
        mvc.perform(get("/audit/export.csv").with(httpBasic("carol", "wrong"))).andExpect(status().isUnauthorized())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON));
        assertThat(exportsBy("alice")).isEqualTo(before);
        assertThat(refusedExportsOf("alice")).as("each refusal is on the trail").isEqualTo(refusedBefore + 3);
    }

    private long refusedExportsOf(String user) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'AUDIT_EXPORTED' AND outcome = 'DENIED' "
                + "AND actor_subject = ?").param(user).query(Long.class).single();
    }

    @Test
    void answersAProgramsBadExportFilterWithAProblem() throws Exception {
        mvc.perform(get("/audit/export.csv").param("outcome", "SOMETIMES").with(as("carol"))
                        .accept(MediaType.parseMediaType("text/csv")))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentType(MediaType.APPLICATION_PROBLEM_JSON))
                .andExpect(jsonPath("$.detail", containsString("SOMETIMES")));
    }

    @Test
    void keepsTheBrowserBehaviourUnchanged() throws Exception {
        mvc.perform(get("/audit/export.csv")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));
        mvc.perform(get("/v3/api-docs")).andExpect(status().isFound()).andExpect(redirectedUrl("/login"));

        MockHttpSession carol = login("carol");
        mvc.perform(get("/audit/export.csv").session(carol)).andExpect(status().isOk())
                .andExpect(header().string("Content-Type", "text/csv; charset=UTF-8; header=present"));
        mvc.perform(get("/v3/api-docs").session(carol)).andExpect(status().isOk());
        mvc.perform(get("/audit/export.csv").param("outcome", "SOMETIMES").session(carol))
                .andExpect(status().isBadRequest())
                .andExpect(content().contentTypeCompatibleWith(MediaType.TEXT_HTML))
                .andExpect(content().string(containsString("SOMETIMES")));

        MockHttpSession alice = login("alice");
        mvc.perform(get("/audit/export.csv").session(alice)).andExpect(status().isForbidden())
                .andExpect(header().doesNotExist(HttpHeaders.WWW_AUTHENTICATE));
    }

    private MockHttpSession login(String user) throws Exception {
        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin().user(user).password(user + "-pw"))
                .andExpect(redirectedUrl("/models")).andReturn().getRequest().getSession(false);
        assertThat(session).isNotNull();
        return session;
    }

    /** Exports done by the user (a refused one is a DENIED row of the same action). */
    private long exportsBy(String user) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE action = 'AUDIT_EXPORTED' AND outcome = 'OK' "
                + "AND actor_subject = ?")
                .param(user).query(Long.class).single();
    }
}
