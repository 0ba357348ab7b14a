package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/** The fast bearer-token resolver answers every request exactly as Spring Security's own does. */
class BearerTokensTest {

    private static final String JWT = "eyJhbGciOiJSUzI1NiIsInR5cCIgOiAiSldUIn0.eyJleHAiOjE3NjQwNzI2MDB9.c2lnbmF0dXJl-_~+/";

    static List<String[]> requests() {
        List<String[]> cases = new ArrayList<>();
        for (String method : new String[] { "POST", "GET" }) {
            for (String header : Arrays.asList(null, "Bearer " + JWT, "bearer " + JWT, "BEARER abc", "Bearer abc==",
                    "Bearer abc=def", "Bearer ", "Bearer", "Bearerabc", "Bearer  abc", "Bearer abc ", " Bearer abc",
                    "Bearer ab\u00e9", "Bearer ab\tc", "Bearer =", "Basic YWxpY2U6c2VjcmV0", "Token abc", "")) {
                cases.add(new String[] { method, header });
            }
        }
        return cases;
    }

    @ParameterizedTest
    @MethodSource("requests")
    void resolvesEveryRequestAsSpringSecurityDoes(String method, String header) {
        MockHttpServletRequest request = new MockHttpServletRequest(method, "/v2/models/digits/infer");
        if (header != null) {
            request.addHeader("Authorization", header);
        }
        request.addParameter("access_token", "from-the-query");
        assertThat(outcome(new BearerTokens(), request)).isEqualTo(outcome(new DefaultBearerTokenResolver(), request));
    }

    @Test
    void takesOnlyWellFormedHeadersOnItsOwn() {
        assertThat(requests().stream().map(request -> request[1]).distinct()
                .filter(header -> header != null && BearerTokens.wellFormed(header)))
                .containsExactly("Bearer " + JWT, "bearer " + JWT, "BEARER abc", "Bearer abc==");
    }

    private static String outcome(BearerTokenResolver resolver, MockHttpServletRequest request) {
        try {
            return "token " + resolver.resolve(request);
        }
        catch (RuntimeException ex) {
            return ex.getClass().getSimpleName() + ": " + ex.getMessage();
        }
    }
}
