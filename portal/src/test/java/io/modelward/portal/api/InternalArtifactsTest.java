package io.modelward.portal.api;

import static io.modelward.portal.TestData.as;
import static io.modelward.portal.TestData.modelJson;
import static io.modelward.portal.TestData.unique;
import static io.modelward.portal.TestData.versionJson;
import static org.springframework.security.test.web.servlet.request.SecurityMockMvcRequestPostProcessors.user;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.put;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

import io.modelward.deployer.InternalTokens;
import io.modelward.portal.PortalTest;
import io.modelward.portal.TestData;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import tools.jackson.databind.json.JsonMapper;

/** The endpoint runtime pods fetch approved model files from. */
@PortalTest
class InternalArtifactsTest {

    @Autowired
    MockMvc mvc;

    @Autowired
    InternalTokens tokens;

    @Test
    void servesAnApprovedFileOnlyToTheArtifactToken() throws Exception {
        byte[] file = TestData.torchScript();
        String sha = version(file, true);
        String url = "/internal/artifacts/" + sha;
        mvc.perform(get(url)).andExpect(status().isUnauthorized())
                .andExpect(header().string("WWW-Authenticate", "Bearer realm=\"ModelWard artifacts\""));
        mvc.perform(get(url).header("Authorization", "Bearer " + tokens.tokenFor("some-deployment")))
                .andExpect(status().isUnauthorized());
        mvc.perform(get(url).with(as("admin"))).andExpect(status().isUnauthorized());
        mvc.perform(get(url).with(user("admin").roles("ADMIN"))).andExpect(status().isUnauthorized());
        mvc.perform(get(url).header("Authorization", "Bearer " + tokens.artifactToken()))
                .andExpect(status().isOk()).andExpect(header().string("X-Checksum-Sha256", sha))
                .andExpect(content().bytes(file));
    }

    @Test
    void neverServesTheFileOfAVersionThatIsNotApproved() throws Exception {
        String sha = version(TestData.torchScript(), false);
        mvc.perform(get("/internal/artifacts/" + sha).header("Authorization", "Bearer " + tokens.artifactToken()))
                .andExpect(status().isNotFound());
    }

    private String version(byte[] file, boolean approve) throws Exception {
        String name = unique("art");
        mvc.perform(post("/api/models").with(as("alice")).contentType(MediaType.APPLICATION_JSON).content(modelJson(name)))
                .andExpect(status().isCreated());
        mvc.perform(post("/api/models/{n}/versions", name).with(as("alice")).contentType(MediaType.APPLICATION_JSON)
                .content(versionJson("1.0", "MIT"))).andExpect(status().isCreated());
        String uploaded = mvc.perform(put("/api/models/" + name + "/versions/1.0/artifacts/model?fileName=m.pt")
                .with(as("alice")).contentType(MediaType.APPLICATION_OCTET_STREAM).content(file))
                .andExpect(status().isCreated()).andReturn().getResponse().getContentAsString();
        if (approve) {
            mvc.perform(post("/api/models/{n}/versions/1.0/submit", name).with(as("alice"))).andExpect(status().isOk());
            mvc.perform(post("/api/models/{n}/versions/1.0/approve", name).with(as("bob"))).andExpect(status().isOk());
        }
        return JsonMapper.builder().build().readTree(uploaded).path("sha256").asString();
    }
}
