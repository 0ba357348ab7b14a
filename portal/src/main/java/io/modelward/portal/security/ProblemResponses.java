package io.modelward.portal.security;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Answers API authentication and authorization failures with a body instead of a page or a redirect: an RFC 9457
 * problem on {@code /api/**}, the KServe {@code {"error": ...}} object on the inference protocols. A 401 names the
 * scheme to use in {@code WWW-Authenticate} ({@code Bearer} with Keycloak, as RFC 6750 describes, {@code Basic} with
 * local accounts).
 */
@Component
public class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ObjectMapper json;
    private final boolean bearer;

    ProblemResponses(ObjectMapper json, KeycloakProperties keycloak) {
        this.json = json;
        this.bearer = keycloak.enabled();
    }

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException ex)
            throws IOException {
        String detail;
        if (!bearer) {
            response.setHeader("WWW-Authenticate", "Basic realm=\"ModelWard\"");
            detail = "Authentication is required: send valid credentials.";
        }
        else if (ex instanceof OAuth2AuthenticationException invalid) {
            OAuth2Error error = invalid.getError();
            String description = error.getDescription() == null ? "The token is invalid." : error.getDescription();
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ModelWard\", error=\"" + error.getErrorCode()
                    + "\", error_description=\"" + headerSafe(description) + "\"");
            detail = "The bearer token was refused: " + description;
        }
        else {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ModelWard\"");
            detail = "Authentication is required: send a bearer token issued by the hospital's Keycloak.";
        }
        write(request, response, HttpStatus.UNAUTHORIZED, detail);
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        if (bearer) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ModelWard\", error=\"insufficient_scope\", "
                    + "error_description=\"The token's roles do not allow this action.\"");
        }
        write(request, response, HttpStatus.FORBIDDEN, "Your roles do not allow this action.");
    }

    private static String headerSafe(String text) {
        return text.replaceAll("[^\\x20-\\x7E]", " ").replace('"', '\'').replace('\\', '/');
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        response.setStatus(status.value());
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/v1/") || path.startsWith("/v2/") || path.equals("/v2")) {
            response.setContentType(MediaType.APPLICATION_JSON_VALUE);
            json.writeValue(response.getOutputStream(), Map.of("error", detail));
            return;
        }
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setInstance(URI.create(request.getRequestURI()));
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        json.writeValue(response.getOutputStream(), problem);
    }
}
