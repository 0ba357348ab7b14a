package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestBuilders.formLogin;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.csrf;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.httpBasic;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.redirectedUrl;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import java.util.List;
import java.util.Map;

import io.modelward.portal.PortalTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.mock.web.MockHttpSession;
import org.springframework.test.web.servlet.MockMvc;

/** Logins, failed logins, lockouts and logouts of local accounts are on the audit trail; passwords never are. */
@PortalTest
class LoginTrailTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    JdbcClient jdbc;

    @Test
    void recordsAFormLoginAndItsLogout() throws Exception {
        long logins = count("alice", "LOGIN");
        long logouts = count("alice", "LOGOUT");
        MockHttpSession session = (MockHttpSession) mvc.perform(formLogin("/login").user("alice").password("alice-pw"))
                .andExpect(redirectedUrl("/models")).andReturn().getRequest().getSession(false);
        assertThat(count("alice", "LOGIN")).isEqualTo(logins + 1);
        assertThat(last("alice", "LOGIN")).containsEntry("outcome", "OK").containsEntry("actor_roles", "researcher")
                .containsEntry("source_ip", "127.0.0.1").containsEntry("detail", "form login")
                .containsEntry("chain_id", "security");
        mvc.perform(post("/logout").session(session).with(csrf())).andExpect(redirectedUrl("/login?logout"));
        assertThat(count("alice", "LOGOUT")).isEqualTo(logouts + 1);
        assertThat(last("alice", "LOGOUT")).containsEntry("outcome", "OK");
    }

    @Test
    void recordsAFailedFormLoginWithoutThePassword() throws Exception {
        long before = count("erin", "LOGIN_FAILED");
        mvc.perform(formLogin("/login").user("erin").password("not-erins-password"))
                .andExpect(redirectedUrl("/login?error"));
        assertThat(count("erin", "LOGIN_FAILED")).isEqualTo(before + 1);
        assertThat(last("erin", "LOGIN_FAILED")).containsEntry("outcome", "DENIED").containsEntry("http_status", 401)
                .containsEntry("detail", "form login: wrong user name or password");
        assertThat(mentions("not-erins-password")).isZero();
        mvc.perform(formLogin("/login").user("erin").password("erin-pw")).andExpect(redirectedUrl("/models"));
    }

    @Test
    void recordsAFailedLoginOfAnUnknownNameUnderThatName() throws Exception {
        String name = "nobody-" + ProcessHandle.current().pid();
        mvc.perform(formLogin("/login").user(name).password("guess")).andExpect(redirectedUrl("/login?error"));
        assertThat(last(name, "LOGIN_FAILED")).containsEntry("actor_roles", "");
    }

    @Test
    void recordsFailedHttpBasicCallsButNotEachSuccessfulOne() throws Exception {
        long logins = count("erin", "LOGIN");
        long failures = count("erin", "LOGIN_FAILED");
        mvc.perform(get("/api/models").with(httpBasic("erin", "wrong-basic-password")))
                .andExpect(status().isUnauthorized());
        mvc.perform(get("/api/models").with(httpBasic("erin", "erin-pw"))).andExpect(status().isOk());
        assertThat(count("erin", "LOGIN_FAILED")).isEqualTo(failures + 1);
        assertThat(last("erin", "LOGIN_FAILED")).containsEntry("detail", "HTTP Basic: wrong user name or password");
        assertThat(count("erin", "LOGIN")).isEqualTo(logins);
        assertThat(mentions("wrong-basic-password")).isZero();
    }

    @Test
    void locksAnAccountAfterFiveFailuresAndRefusesEvenItsRightPasswordAlike() throws Exception {
        for (int i = 0; i < 5; i++) {
            mvc.perform(formLogin("/login").user("frank").password("guess-" + i)).andExpect(redirectedUrl("/login?error"));
        }
        List<Map<String, Object>> lockouts = rows("frank", "LOCKOUT");
        assertThat(lockouts).hasSize(1);
        assertThat(lockouts.getFirst()).containsEntry("outcome", "DENIED").containsEntry("source_ip", "127.0.0.1")
                .containsEntry("detail", "locked for PT15M after 5 failed logins within PT15M (last: form login)");
        // the right password now gets exactly what a wrong one gets: the login page's error, and 401 on the API
        mvc.perform(formLogin("/login").user("frank").password("frank-pw")).andExpect(redirectedUrl("/login?error"));
        mvc.perform(get("/api/models").with(httpBasic("frank", "frank-pw"))).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("Authentication is required: send valid credentials."));
        mvc.perform(get("/api/models").with(httpBasic("frank", "wrong"))).andExpect(status().isUnauthorized())
                .andExpect(jsonPath("$.detail").value("Authentication is required: send valid credentials."));
        assertThat(rows("frank", "LOGIN_FAILED")).extracting(r -> r.get("detail")).containsSubsequence(
                "form login: the account is locked after repeated failed logins",
                "HTTP Basic: the account is locked after repeated failed logins");
        assertThat(count("frank", "LOGIN")).isZero();
        assertThat(rows("frank", "LOCKOUT")).hasSize(1);
        assertThat(mentions("frank-pw") + mentions("guess-")).isZero();
    }

    private long count(String who, String action) {
        return rows(who, action).size();
    }

    private Map<String, Object> last(String who, String action) {
        List<Map<String, Object>> rows = rows(who, action);
        assertThat(rows).as(action + " of " + who).isNotEmpty();
        return rows.getLast();
    }

    private List<Map<String, Object>> rows(String who, String action) {
        return jdbc.sql("SELECT * FROM audit_event WHERE actor_subject = ? AND action = ? ORDER BY at, seq")
                .params(who, action).query().listOfRows();
    }

    private long mentions(String text) {
        return jdbc.sql("SELECT count(*) FROM audit_event WHERE position(? IN concat_ws(' ', actor_subject, actor_name, "
                + "detail, output_summary, purpose)) > 0").param(text).query(Long.class).single();
    }
}
