package io.modelward.portal.security;

import java.io.IOException;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import io.modelward.portal.gateway.ErrorBodies;
import io.modelward.portal.gateway.InferenceGateway;
import io.modelward.portal.gateway.InferencePath;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.http.HttpStatus;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.stereotype.Component;

/**
 * Answers API authentication and authorization failures with a body instead of a page or a redirect: an RFC 9457
 * problem on {@code /api/**}, the KServe {@code {"error": ...}} object on the inference protocols. A 401 names the
 * scheme to use in {@code WWW-Authenticate} ({@code Bearer} with Keycloak, as RFC 6750 describes, {@code Basic} with
 * local accounts). Every refusal is audited first: an inference call through the gateway's record, any other 403 as a
 * DENIED row of the action it attempted ({@link SecurityTrail}).
 */
@Component
public class ProblemResponses implements AuthenticationEntryPoint, AccessDeniedHandler {

    private final ErrorBodies errors;
    private final boolean bearer;
    private final ObjectProvider<InferenceGateway> gateway;
    private final SecurityTrail trail;

    ProblemResponses(ErrorBodies errors, KeycloakProperties keycloak, ObjectProvider<InferenceGateway> gateway,
            SecurityTrail trail) {
        this.errors = errors;
        this.bearer = keycloak.enabled();
        this.gateway = gateway;
        this.trail = trail;
    }

    /**
     * Audits a refused inference call; false when that could not be done, and the caller must get 503 instead: nothing
     * is answered unaudited, refusals included.
     */
    private boolean audited(HttpServletRequest request, int status, String reason) {
        InferencePath call = InferencePath.of(request);
        if (call == null) {
            // a refused API action is recorded like one its service refuses; a missing login is no event
            return status != 403 || trail.refused(request, reason);
        }
        return gateway.getObject().auditRefusal(call.protocol(), call.model(), call.version(), Actors.current(),
                request.getRemoteAddr(), request.getHeader("X-Request-Id"), request.getHeader("X-Purpose-Of-Use"),
                status, reason);
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
        if (!audited(request, 401, detail)) {
            write(request, response, HttpStatus.SERVICE_UNAVAILABLE, UNAUDITED);
            return;
        }
        write(request, response, HttpStatus.UNAUTHORIZED, detail);
    }

    private static final String UNAUDITED = "The request could not be recorded in the audit trail, so it is not "
            + "answered. Try again shortly.";

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException ex)
            throws IOException {
        if (bearer) {
            response.setHeader("WWW-Authenticate", "Bearer realm=\"ModelWard\", error=\"insufficient_scope\", "
                    + "error_description=\"The token's roles do not allow this action.\"");
        }
        String reason = SecurityTrail.reason(ex);
        if (!audited(request, 403, reason)) {
            write(request, response, HttpStatus.SERVICE_UNAVAILABLE, UNAUDITED);
            return;
        }
        write(request, response, HttpStatus.FORBIDDEN, reason);
    }

    private static String headerSafe(String text) {
        return text.replaceAll("[^\\x20-\\x7E]", " ").replace('"', '\'').replace('\\', '/');
    }

    void write(HttpServletRequest request, HttpServletResponse response, HttpStatus status, String detail)
            throws IOException {
        errors.write(request, response, status, detail);
    }
}
