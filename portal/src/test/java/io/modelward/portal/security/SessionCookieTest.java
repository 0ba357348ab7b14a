package io.modelward.portal.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Locale;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.ActiveProfiles;

/**
 * The session cookie as Tomcat really sends it: {@code SameSite=Lax} and {@code HttpOnly} always, {@code Secure} when
 * the request came over TLS, here as a proxy on loopback says with {@code X-Forwarded-Proto} (the prod profile's
 * forwarded-header handling, set for this test).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = "server.forward-headers-strategy=native")
@ActiveProfiles("test")
class SessionCookieTest {

    @LocalServerPort
    int port;

    final HttpClient http = HttpClient.newHttpClient();

    @Test
    void theSessionCookieIsSameSiteLaxAndHttpOnlyButNotSecureOverPlainHttp() throws Exception {
        String cookie = sessionCookie(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login")));
        assertThat(cookie).contains("; SameSite=Lax").contains("; HttpOnly").doesNotContain("; Secure");
    }

    @Test
    void theSessionCookieIsSecureWhenTheRequestCameOverTls() throws Exception {
        String cookie = sessionCookie(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/login"))
                .header("X-Forwarded-Proto", "https"));
        assertThat(cookie).contains("; Secure").contains("; SameSite=Lax").contains("; HttpOnly");
    }

    private String sessionCookie(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        return response.headers().allValues("Set-Cookie").stream()
                .filter(c -> c.toUpperCase(Locale.ROOT).startsWith("JSESSIONID=")).findFirst()
                .orElseThrow(() -> new AssertionError("no session cookie in " + response.headers().map()));
    }
}
